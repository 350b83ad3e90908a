using IotTelemetry.Common.Metrics;

namespace IotTelemetry.Common.Tests;

public class MetricsRegistryTests
{
    [Fact]
    public void Counters_and_gauges_render_in_prometheus_text_format()
    {
        var registry = new MetricsRegistry();
        registry.Counter("iott_x_total", "Things", ("reason", "a\"b")).Add(3);
        registry.Counter("iott_x_total", "Things", ("reason", "c")).Increment();
        registry.Gauge("iott_lag", "Lag", () => 1.5);
        var text = registry.ToPrometheusText();
        Assert.Contains("# TYPE iott_x_total counter\n", text);
        Assert.Contains("iott_x_total{reason=\"a\\\"b\"} 3\n", text);
        Assert.Contains("iott_x_total{reason=\"c\"} 1\n", text);
        Assert.Contains("# TYPE iott_lag gauge\niott_lag 1.5\n", text);
        Assert.Equal(4, registry.Total("iott_x_total"));
    }
}
