using System.Diagnostics;
using System.Globalization;
using IotTelemetry.Lake;
using IotTelemetry.TestKit;
using ParquetSharp;

namespace IotTelemetry.Benchmarks;

/// <summary>
/// Rows per second the lake writer (ParquetSharp) sustains with Snappy on one thread, appending the rows and writing the
/// file as the sink does, beside DuckDB (embedded, one thread) writing the same rows from a CSV of them with
/// COPY ... (FORMAT PARQUET, COMPRESSION SNAPPY); the file sizes; and the hand-written writer this one replaced.
/// </summary>
internal static class ParquetBench
{
    private const int Rows = 1_000_000;

    /// <summary>The hand-written writer (cloud/IotTelemetry.Parquet, removed), measured by this bench at commit a1b5ba8 on 2026-12-03, same machine.</summary>
    private const double PreviousRowsPerSecond = 4_868_677;

    public static async Task RunAsync()
    {
        var dir = RepoPaths.NewTempDirectory("bench-parquet");
        var ours = Path.Combine(dir, "ours.parquet");
        var names = new Names();
        var metadata = new Dictionary<string, string> { ["iott.site"] = "bench" };
        var best = double.MaxValue;
        double appendSeconds = 0;
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            var rows = Append(names);
            var appended = sw.Elapsed.TotalSeconds;
            LakeParquet.Write(ours, rows, Compression.Snappy, 64L * 1024 * 1024, metadata); // includes the fsync the sink does
            if (sw.Elapsed.TotalSeconds < best) (best, appendSeconds) = (sw.Elapsed.TotalSeconds, appended);
        }
        var oursBytes = new FileInfo(ours).Length;

        // The same rows, as DuckDB will read them.
        var csv = DuckDb.Literal(Path.Combine(dir, "rows.csv"));
        var duck = Path.Combine(dir, "duckdb.parquet");
        await DuckDb.QueryAsync($"COPY (SELECT * FROM read_parquet({DuckDb.Literal(ours)})) TO {csv} (HEADER)");
        var copy = $"COPY (SELECT * FROM read_csv({csv}, header = true, auto_detect = true)) TO {DuckDb.Literal(duck)} (FORMAT PARQUET, COMPRESSION SNAPPY)";
        var duckSeconds = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            await DuckDb.QueryManyAsync(["SET threads = 1", copy]);
            duckSeconds = Math.Min(duckSeconds, sw.Elapsed.TotalSeconds);
        }
        var duckBytes = new FileInfo(duck).Length;

        Report.Table($"Parquet writer (ParquetSharp): {Rows:N0} lake rows (10 columns), Snappy, one thread (best of 3)",
        [
            ("rows/s appended and written (DuckDB: CSV -> Parquet)", Report.Rate(Rows / best), Report.Rate(Rows / duckSeconds), Report.Ratio(Rows / best, Rows / duckSeconds)),
            ("of which appending to the column arrays", $"{appendSeconds / best:P0}", "", ""),
            ("previous: hand-written writer (a1b5ba8, 2026-12-03, 9 columns)", Report.Rate(Rows / best), Report.Rate(PreviousRowsPerSecond), Report.Ratio(Rows / best, PreviousRowsPerSecond)),
            ("target: >= 500,000 rows/s", Rows / best >= 500_000 ? "met" : "NOT met", "", ""),
            ("file size", $"{oursBytes / 1048576.0:0.0} MiB", $"{duckBytes / 1048576.0:0.0} MiB", Report.Ratio(oursBytes, duckBytes)),
        ]);
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>3 sites x 40 assets x 8 sensors sampled round robin every 10 ms, as the sink appends them.</summary>
    private static LakeRows Append(Names names)
    {
        var rows = new LakeRows(Rows);
        var random = new Random(1);
        const long start = 1_767_225_600_000_000;
        for (var i = 0; i < Rows; i++)
        {
            var s = i % names.Sensors.Length;
            var a = i / names.Sensors.Length % names.Assets.Length;
            var p = i / (names.Sensors.Length * names.Assets.Length) % names.Sites.Length;
            var t = start + i * 10_000L;
            rows.Add(t, names.Assets[a], names.Sensors[s], Math.Round(50 + 10 * Math.Sin(i * 0.001) + random.NextDouble(), 3),
                random.Next(100) < 98 ? "good" : "uncertain", names.Units[s], names.Sources[(p * names.Assets.Length + a) * names.Sensors.Length + s],
                t + 1_500 + random.Next(2_000), p, i);
        }
        return rows;
    }

    private sealed class Names
    {
        public readonly string[] Sites = ["plant-a", "plant-b", "plant-c"];
        public readonly string[] Assets = Enumerable.Range(0, 40).Select(a => "pump-" + a.ToString("D2", CultureInfo.InvariantCulture)).ToArray();
        public readonly string[] Sensors = ["temperature", "pressure", "vibration", "flow", "current", "voltage", "speed", "level"];
        public readonly string[] Units = ["degC", "bar", "mm/s", "m3/h", "A", "V", "rpm", "%"];
        public readonly string[] Sources;

        public Names() =>
            Sources = (from site in Sites from asset in Assets from sensor in Sensors select $"mqtt:plants/{site}/{asset}/{sensor}").ToArray();
    }
}
