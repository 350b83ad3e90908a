using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Metrics;
using IotTelemetry.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace IotTelemetry.Common.Tests;

/// <summary>/metrics as our hosts serve it (ServiceHost: OpenTelemetry's Prometheus exporter), read over HTTP and by a real Prometheus.</summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private readonly int _port = FreePort.Next();
    private WebApplication _app = null!;

    private string Url => $"http://127.0.0.1:{_port}";

    private Instruments Instruments => _app.Services.GetRequiredService<Instruments>();

    public async Task InitializeAsync()
    {
        var builder = ServiceHost.CreateBuilder([]);
        builder.WebHost.UseUrls(Url);
        _app = builder.Build();
        ServiceHost.MapOperationalEndpoints(_app, () => (true, "test"));
        await _app.StartAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Counters_and_gauges_are_served_in_prometheus_text_with_their_names_and_escaped_labels()
    {
        Instruments.Counter("iott_x_total", "Things", ("reason", "a\"b\nc\\d")).Add(3);
        Instruments.Counter("iott_x_total", "Things", ("reason", "c")).Increment();
        Instruments.Counter("iott_unused_total", "Never counted");
        Instruments.Gauge("iott_lag", "Lag", () => 1.5);

        using var http = new HttpClient();
        var text = await http.GetStringAsync(Url + "/metrics");
        Assert.Contains("# TYPE iott_x_total counter\n", text);
        // The newline, quote and backslash of a label value are escaped: one sample, one line.
        Assert.Single(text.Split('\n'), l => l.StartsWith("iott_x_total{", StringComparison.Ordinal) && l.Contains("reason=\"a\\\"b\\nc\\\\d\"", StringComparison.Ordinal) && l.EndsWith(" 3", StringComparison.Ordinal));
        Assert.Single(text.Split('\n'), l => l.StartsWith("iott_x_total{", StringComparison.Ordinal) && l.Contains("reason=\"c\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Single(text.Split('\n'), l => l.StartsWith("iott_unused_total", StringComparison.Ordinal) && l.EndsWith(" 0", StringComparison.Ordinal));
        Assert.Single(text.Split('\n'), l => l.StartsWith("iott_lag", StringComparison.Ordinal) && l.EndsWith(" 1.5", StringComparison.Ordinal));
        Assert.Equal(4, Instruments.Total("iott_x_total"));
        Assert.Equal(4, await new HostMetrics(Url).GetAsync("iott_x_total"));
    }

    [Fact]
    public async Task A_label_value_with_a_newline_quotes_and_a_backslash_is_escaped_and_promtool_parses_the_exposition()
    {
        // What an OPC UA server's display name, a vendor's or a webhook target's name from configuration may hold.
        const string hostile = "line 1\nline \"2\" C:\\plc";
        const string escaped = "server=\"line 1\\nline \\\"2\\\" C:\\\\plc\""; // the text format's \n, \" and \\
        Instruments.Counter("iott_test_hostile_total", "Counted under a hostile label value", ("server", hostile)).Add(7);
        Instruments.Gauge("iott_test_hostile_level", "A level under a hostile label value", () => 2, ("server", hostile));

        using var http = new HttpClient();
        var text = await http.GetStringAsync(Url + "/metrics");
        var lines = text.Split('\n');
        Assert.Single(lines, l => l.StartsWith("iott_test_hostile_total{", StringComparison.Ordinal) && l.Contains(escaped, StringComparison.Ordinal) && l.EndsWith(" 7", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("iott_test_hostile_level{", StringComparison.Ordinal) && l.Contains(escaped, StringComparison.Ordinal) && l.EndsWith(" 2", StringComparison.Ordinal));
        var (code, output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(code == 0, $"promtool check metrics exited {code}: {output}\n--- exposition:\n{text}");

        // The judge can fail: the same sample with its newline left raw (what the hand-written registry wrote before
        // OpenTelemetry's exporter replaced it: only \\ and \" escaped) does not parse.
        var raw = "# TYPE iott_test_hostile_total counter\niott_test_hostile_total{server=\"line 1\nline \\\"2\\\" C:\\\\plc\"} 7\n";
        var (rawCode, rawOutput) = await Promtool.CheckMetricsAsync(raw);
        Assert.Equal(1, rawCode);
        Assert.Contains("unescaped new-line", rawOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gauges_whose_label_sets_read_alike_when_joined_as_text_stay_two_series()
    {
        Instruments.Gauge("iott_test_cells", "Cells", () => 1, ("cell", "a,line=b"));
        Instruments.Gauge("iott_test_cells", "Cells", () => 2, ("cell", "a"), ("line", "b"));

        using var http = new HttpClient();
        var lines = (await http.GetStringAsync(Url + "/metrics")).Split('\n');
        Assert.Single(lines, l => l.StartsWith("iott_test_cells{", StringComparison.Ordinal) && l.Contains("cell=\"a,line=b\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("iott_test_cells{", StringComparison.Ordinal) && l.Contains("cell=\"a\"", StringComparison.Ordinal) && l.Contains("line=\"b\"", StringComparison.Ordinal) && l.EndsWith(" 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_metrics_and_answers_the_count_we_made()
    {
        var counter = Instruments.Counter("iott_test_events_total", "Events the test counted", ("kind", "scraped\nby prometheus"));
        for (var i = 0; i < 1234; i++) counter.Increment();
        Instruments.Gauge("iott_test_level", "A level", () => 42.5);
        await using var prometheus = await PrometheusServer.StartNewAsync($"127.0.0.1:{_port}");

        IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> result = [];
        await Wait.UntilAsync(async () => (result = await prometheus.QueryAsync("iott_test_events_total")).Count > 0,
            "Prometheus to have scraped iott_test_events_total", TimeSpan.FromSeconds(60));
        var (labels, value) = Assert.Single(result);
        Assert.Equal(1234, value);
        Assert.Equal("scraped\nby prometheus", labels["kind"]);
        Assert.Equal("iott", labels["job"]);
        var level = await prometheus.QueryAsync("iott_test_level");
        Assert.Equal(42.5, Assert.Single(level).Value);

        // The target is healthy in Prometheus' own view: the exposition parsed without errors.
        var up = await prometheus.QueryAsync("up");
        Assert.Equal(1, Assert.Single(up).Value);
    }
}
