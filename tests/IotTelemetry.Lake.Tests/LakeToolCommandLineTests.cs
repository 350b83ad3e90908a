using IotTelemetry.LakeTool;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>
/// iott-lake's command line: a wrong argument is refused with exit code 2 and a message naming the option and what was
/// expected, before anything touches the lake; <c>--help</c> lists every command and option; a good command line runs.
/// </summary>
public sealed class LakeToolCommandLineTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dataDir = RepoPaths.NewTempDirectory("lake-cli");

    private string Root => Path.Combine(_dataDir, "lake");

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = LakeToolCli.Run(args, output, error, Now);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData(new string[0], "Required command was not provided")]
    [InlineData(new[] { "vacuum", "--root", "x" }, "'vacuum'")]
    [InlineData(new[] { "query", "SELECT 1" }, "Expected --root <dir> for query (or --store azure)")]
    [InlineData(new[] { "query", "--root", "x", "SELECT", "1" }, "Expected one SQL statement (quoted) to run over the view lake, got 2 argument(s): 'SELECT' '1'")]
    [InlineData(new[] { "query", "--root", "x", "SELECT 1", "--max-rows", "many" }, "Expected --max-rows as a whole number, got 'many'")]
    [InlineData(new[] { "inspect", "a.parquet", "--rows", "-1" }, "Expected --rows to be at least 0, got -1")]
    [InlineData(new[] { "inspect" }, "Expected one file to inspect")]
    [InlineData(new[] { "compact", "--root", "x" }, "Expected --partition site=S/date=YYYY-MM-DD/hour=HH or --all for compact")]
    [InlineData(new[] { "compact", "--root", "x", "--all", "--older-than", "2h" }, "Expected --older-than as a time span such as 02:00:00")]
    [InlineData(new[] { "compact", "--root", "x", "--all", "--dataset", "rollup-5m" }, "Expected --dataset lake, rollup-1m or rollup-1h, got 'rollup-5m'")]
    [InlineData(new[] { "retention", "--root", "x", "--keep-days", "a year" }, "Expected --keep-days as a whole number, got 'a year'")]
    [InlineData(new[] { "retention", "--store", "s3" }, "Expected --store local or azure, got 's3'")]
    [InlineData(new[] { "catalog", "--root", "x", "--vendor", "edge.json" }, "'--vendor'")]
    [InlineData(new[] { "lineage", "--root", "x" }, "Expected one file or partition directory, got 0 argument(s)")]
    public void A_wrong_argument_exits_2_naming_the_option_and_what_was_expected(string[] args, string expected)
    {
        var (code, output, error) = Run(args);

        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("--help", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public void A_wrong_argument_leaves_the_lake_untouched()
    {
        LakeFiles.WritePartition(LakeDataset.Local(Root), "site=a/date=2026-02-01/hour=05", files: 2, firstOffset: 0, rowsPerFile: 10);

        var (code, _, error) = Run("retention", "--root", Root, "--keep-days", "7", "--keep-1m-days");

        Assert.Equal(2, code);
        Assert.Contains("--keep-1m-days", error, StringComparison.Ordinal);
        Assert.Equal(2, LakeFiles.DataFiles(Path.Combine(Root, "site=a/date=2026-02-01/hour=05")).Count);
    }

    [Fact]
    public void A_failure_while_running_exits_1_with_its_message()
    {
        var (code, _, error) = Run("query", "--root", Path.Combine(_dataDir, "nowhere"), "SELECT 1");

        Assert.Equal(1, code);
        Assert.Contains("Expected --root to be the lake directory", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_every_command_and_each_command_its_options()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        foreach (var command in new[] { "inspect", "query", "compact", "retention", "catalog", "lineage" })
            Assert.Contains(command, output, StringComparison.Ordinal);
        Assert.Contains("Lake__Store__ConnectionString", output, StringComparison.Ordinal);

        var compact = Run("compact", "--help");
        Assert.Equal(0, compact.Code);
        foreach (var option in new[] { "--root", "--store", "--container", "--prefix", "--dataset", "--partition", "--all", "--older-than" })
            Assert.Contains(option, compact.Output, StringComparison.Ordinal);
        Assert.Contains("[default: 02:00:00]", compact.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compact_and_retention_run_from_the_command_line_with_their_flags()
    {
        LakeFiles.WritePartition(LakeDataset.Local(Root), "site=a/date=2026-03-09/hour=07", files: 3, firstOffset: 0, rowsPerFile: 10);
        LakeFiles.WritePartition(LakeDataset.Local(Root), "site=a/date=2026-02-01/hour=05", files: 2, firstOffset: 30, rowsPerFile: 10);

        var compact = Run("compact", "--root", Root, "--partition", "site=a/date=2026-03-09/hour=07", "--older-than", "2.00:00:00");
        Assert.Equal(0, compact.Code);
        Assert.Contains("site=a/date=2026-03-09/hour=07: skipped: partition is not closed", compact.Output, StringComparison.Ordinal);
        compact = Run("compact", "--root", Root, "--all", "--older-than", "00:30:00");
        Assert.Equal(0, compact.Code);
        Assert.Contains("site=a/date=2026-03-09/hour=07: merged 3 files, 30 rows", compact.Output, StringComparison.Ordinal);
        Assert.Contains("site=a/date=2026-02-01/hour=05: merged 2 files, 20 rows", compact.Output, StringComparison.Ordinal);

        var retention = Run("retention", "--root", Root, "--keep-days", "30");
        Assert.Equal(0, retention.Code);
        Assert.Contains("raw site=a/date=2026-02-01/hour=05: dropped 1 files, 20 rows; tombstone left", retention.Output, StringComparison.Ordinal);
        Assert.Contains("keep 30 days, 1 partition(s) dropped", retention.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
