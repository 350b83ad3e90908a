using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using IotTelemetry.Parquet;
using IotTelemetry.TestKit;

namespace IotTelemetry.Benchmarks;

/// <summary>
/// Rows per second our Parquet writer sustains with Snappy on one thread, beside DuckDB (one thread) writing the
/// same rows from a CSV of the same data with COPY ... (FORMAT PARQUET, COMPRESSION SNAPPY); and the file sizes.
/// </summary>
internal static class ParquetBench
{
    private const int Rows = 1_000_000;

    public static async Task RunAsync()
    {
        var dir = RepoPaths.NewTempDirectory("bench-parquet");
        var ours = Path.Combine(dir, "ours.parquet");
        var options = new ParquetWriterOptions { Compression = ParquetCompression.Snappy };
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            using var file = new FileStream(ours, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            var sw = Stopwatch.StartNew();
            TelemetryParquetWorkload.WriteFile(file, Rows, 250_000, options); // writes the footer and closes the file
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        var oursBytes = new FileInfo(ours).Length;

        // The same rows, as DuckDB will read them.
        var csv = Path.Combine(dir, "rows.csv");
        var duck = Path.Combine(dir, "duckdb.parquet");
        WriteCsv(ours, csv);
        var script = Path.Combine(dir, "copy.mjs");
        await File.WriteAllTextAsync(script, $$"""
            import { createRequire } from "node:module";
            const require = createRequire({{JsonSerializer.Serialize(Path.Combine(RepoPaths.NodePeers, "package.json"))}});
            const { DuckDBInstance } = require("@duckdb/node-api");
            const c = await (await DuckDBInstance.create(":memory:")).connect();
            await c.run("SET threads = 1");
            const best = [];
            for (let i = 0; i < 3; i++) {
              const t = performance.now();
              await c.run({{JsonSerializer.Serialize($"COPY (SELECT * FROM read_csv('{csv}', header = true, auto_detect = true)) TO '{duck}' (FORMAT PARQUET, COMPRESSION SNAPPY)")}});
              best.push((performance.now() - t) / 1000);
            }
            console.log(Math.min(...best));
            """);
        await using var node = ExternalProcess.Start("node", [script], dir);
        if (await node.WaitForExitAsync(TimeSpan.FromMinutes(5)) != 0) throw new InvalidOperationException("DuckDB baseline failed: " + node.Output);
        var duckSeconds = double.Parse(node.Lines.Last(l => l.Length > 0), CultureInfo.InvariantCulture);
        var duckBytes = new FileInfo(duck).Length;

        Report.Table($"Parquet writer: {Rows:N0} telemetry rows (9 columns), Snappy, one thread (best of 3)",
        [
            ("rows/s written (DuckDB: CSV -> Parquet)", Report.Rate(Rows / best), Report.Rate(Rows / duckSeconds), Report.Ratio(Rows / best, Rows / duckSeconds)),
            ("target: >= 500,000 rows/s", Rows / best >= 500_000 ? "met" : "NOT met", "", ""),
            ("file size", $"{oursBytes / 1048576.0:0.0} MiB", $"{duckBytes / 1048576.0:0.0} MiB", Report.Ratio(oursBytes, duckBytes)),
        ]);
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>Reads our file back (with our reader) and writes it as CSV, so both writers get identical rows.</summary>
    private static void WriteCsv(string parquet, string csv)
    {
        using var reader = ParquetReader.Open(parquet);
        using var output = new StreamWriter(csv, false, new UTF8Encoding(false), 1 << 20);
        output.WriteLine(string.Join(",", reader.Schema.Fields.Select(f => f.Name)));
        var line = new StringBuilder();
        for (var g = 0; g < reader.RowGroups.Count; g++)
        {
            var rows = reader.ReadRowGroup(g);
            for (var r = 0; r < rows.RowCount; r++)
            {
                line.Clear();
                for (var c = 0; c < rows.Columns.Count; c++)
                {
                    if (c > 0) line.Append(',');
                    var column = rows.Columns[c];
                    var value = column switch
                    {
                        TimestampColumn t => t.GetTimestamp(r).ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
                        DoubleColumn d => d[r].ToString("R", CultureInfo.InvariantCulture),
                        _ => Convert.ToString(column.GetBoxed(r), CultureInfo.InvariantCulture) ?? "",
                    };
                    line.Append(value);
                }
                output.WriteLine(line);
            }
        }
    }
}
