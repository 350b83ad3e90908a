using System.CommandLine;
using DuckDB.NET.Data;
using IotTelemetry.Common.Configuration;
using ParquetSharp;

namespace IotTelemetry.LakeTool;

/// <summary>
/// The command line of <c>iott-lake</c>. Exit codes: 0 done; 1 the command failed while running (a missing file, a
/// statement DuckDB rejects, a store setting); 2 the arguments were wrong (each error names the option or argument and
/// what was expected, then where the help is). <c>--help</c> after any command prints its options.
/// </summary>
public static class LakeToolCli
{
    private const string Description = """
        iott-lake: inspect, query, compact and apply retention to the Parquet lake.
        The lake on blob storage: --store azure [--container C] [--prefix P] [--dataset lake] instead of --root, with the
        Lake:Store settings in the environment (Lake__Store__ConnectionString, or Lake__Store__AccountUrl and
        Lake__Store__Auth with its key, SAS or identity); inspect then takes a file's key in the dataset
        (site=S/date=D/hour=H/name.parquet) and query reads a local copy of the dataset; compact --dataset rollup-1m|rollup-1h
        and retention work on the rollup datasets beside the raw one in the same store.
        """;

    /// <summary>Parses <paramref name="args"/>, runs the command at <paramref name="now"/>; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(error);
        var root = new RootCommand(Description)
        {
            LakeToolCommands.Inspect(output),
            LakeToolCommands.Query(output),
            LakeToolCommands.Compact(output, now),
            LakeToolCommands.Retention(output, now),
            LakeToolCommands.Catalog(output, now),
            LakeToolCommands.Lineage(output),
        };
        // No response files: a lake path or SQL statement starting with @ is taken as it is.
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (result.Errors.Count > 0 && result.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var e in result.Errors) error.WriteLine($"iott-lake: {e.Message}");
            var command = result.CommandResult.Command;
            error.WriteLine($"see: iott-lake {(command == root ? "" : command.Name + " ")}--help");
            return 2;
        }
        try
        {
            return result.Invoke(configuration);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or InvalidDataException or ParquetException or DuckDBException
            or OverflowException or ConfigurationException)
        {
            error.WriteLine($"iott-lake: {ex.Message}");
            return 1;
        }
    }
}
