using System.Text.Json.Nodes;
using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Anomaly.Tests;

/// <summary>
/// The evaluation's command line (tools/IotTelemetry.Eval.Cli, run as <c>make eval</c> runs it): wrong arguments exit 2 with
/// a message naming the option and what was expected; <c>--help</c> lists the options; a good command line scores.
/// </summary>
public sealed class EvalCommandLineTests : IDisposable
{
    private static string Dll => Path.Combine(RepoPaths.Root, "tools", "IotTelemetry.Eval.Cli", "bin", Programs.Configuration, "net10.0", "iott-eval.dll");
    private readonly string _dir = RepoPaths.NewTempDirectory("eval-cli");

    private static async Task<(int Exit, string Output)> Eval(params string[] args)
    {
        await using var tool = ExternalProcess.Start("dotnet", [Dll, .. args]);
        var exit = await tool.WaitForExitAsync(TimeSpan.FromSeconds(120));
        await Wait.UntilAsync(() => tool.Output.Length > 0, "the tool's output");
        return (exit, tool.Output);
    }

    [Fact]
    public async Task Missing_required_options_exit_2_naming_each()
    {
        var (exit, output) = await Eval("--data", RepoPaths.NabData);

        Assert.Equal(2, exit);
        Assert.Contains("Option '--labels' is required.", output, StringComparison.Ordinal);
        Assert.Contains("Option '--out' is required.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("'--data'", output, StringComparison.Ordinal);
        Assert.Contains("iott-eval --help", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_pairs_an_unknown_detector_and_stray_words_exit_2_naming_the_option_and_the_expected_form()
    {
        var (exit, output) = await Eval("--data", "d", "--labels", "l", "--out", _dir,
            "--param", "Threshold", "--tune", "Threshold=", "--mvparam", "=1", "--detector", "knn", "--parm", "A=1");

        Assert.Equal(2, exit);
        Assert.Contains("--param: expected Name=Value, got 'Threshold'", output, StringComparison.Ordinal);
        Assert.Contains("--tune: expected Name=v1,v2,..., got 'Threshold='", output, StringComparison.Ordinal);
        Assert.Contains("--mvparam: expected Name=Value, got '=1'", output, StringComparison.Ordinal);
        Assert.Contains("--detector: expected one of learned, zscore, random, got 'knn'", output, StringComparison.Ordinal);
        Assert.Contains("'--parm'", output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public async Task Bench_counts_must_be_whole_numbers_and_a_small_bench_runs()
    {
        var bad = await Eval("bench", "many");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("bench: expected sensors as a whole number of at least 1, got 'many'", bad.Output, StringComparison.Ordinal);

        var run = await Eval("bench", "20", "50", "learned");
        Assert.Equal(0, run.Exit);
        Assert.Contains("bench: 20 sensors x 50 readings, detector set 'learned'", run.Output, StringComparison.Ordinal);
        Assert.Contains("bytes/reading in the steady state", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_option_and_the_bench_command()
    {
        var (exit, output) = await Eval("--help");

        Assert.Equal(0, exit);
        foreach (var option in new[] { "--data", "--labels", "--out", "--profiles", "--detector", "--param", "--tune", "--skab", "--mvparam", "bench" })
            Assert.Contains(option, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_labeled_series_are_scored_with_the_parameters_given_and_an_unknown_parameter_fails_naming_it()
    {
        // Two series of two categories (cross-validation leaves one out), the labels of only those.
        var all = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.NabData, "combined_windows.json")))!.AsObject();
        var labels = new JsonObject();
        foreach (var name in new[] { "artificialWithAnomaly/art_daily_jumpsup.csv", "realTraffic/TravelTime_387.csv" })
            labels[name] = all[name]!.DeepClone();
        var labelsFile = Path.Combine(_dir, "windows.json");
        await File.WriteAllTextAsync(labelsFile, labels.ToJsonString());
        var outDir = Path.Combine(_dir, "out");

        var (exit, output) = await Eval("--data", RepoPaths.NabData, "--labels", labelsFile, "--out", outDir, "--detector", "random", "--param", "Seed=7", "--skab", "");

        Assert.Equal(0, exit);
        Assert.Contains("detector random: 2 files", output, StringComparison.Ordinal);
        Assert.Contains("cross-validated", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "random", "realTraffic", "random_TravelTime_387.csv")));
        Assert.DoesNotContain("SKAB", output, StringComparison.Ordinal);

        var unknown = await Eval("--data", RepoPaths.NabData, "--labels", labelsFile, "--out", outDir, "--detector", "zscore", "--param", "NoSuchOption=1");
        Assert.Equal(2, unknown.Exit);
        Assert.Contains("--param NoSuchOption", unknown.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
