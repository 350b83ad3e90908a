using IotTelemetry.Lake.Lineage;
using ParquetSharp;

namespace IotTelemetry.Lake.Tests;

/// <summary>A summary-tier file written with ParquetSharp directly (another schema than the raw readings', an optional column), as a rollup writer would.</summary>
public static class RollupFile
{
    public static readonly string[] Columns = ["time", "asset", "sensor", "count", "mean"];

    /// <summary><paramref name="rows"/> one-minute rows from <paramref name="start"/>: asset pump-00, sensor s0, count i, mean i / 2 (null for every third).</summary>
    public static void Write(string path, DateTimeOffset start, int rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var columns = new Column[]
        {
            new Column<DateTime>("time", LogicalType.Timestamp(true, TimeUnit.Micros)), new Column<string>("asset"), new Column<string>("sensor"),
            new Column<long>("count"), new Column<double?>("mean"),
        };
        var lineage = new LakeLineage([], [], [], [], ["rollup"]);
        using var file = new ParquetFileWriter(path, columns, Compression.Snappy, new Dictionary<string, string> { [LakeLineage.MetadataKey] = lineage.ToJson() });
        using var group = file.AppendRowGroup();
        using (var w = group.NextColumn().LogicalWriter<DateTime>()) w.WriteBatch([.. Enumerable.Range(0, rows).Select(i => start.UtcDateTime.AddMinutes(i))]);
        using (var w = group.NextColumn().LogicalWriter<string>()) w.WriteBatch([.. Enumerable.Repeat("pump-00", rows)]);
        using (var w = group.NextColumn().LogicalWriter<string>()) w.WriteBatch([.. Enumerable.Repeat("s0", rows)]);
        using (var w = group.NextColumn().LogicalWriter<long>()) w.WriteBatch([.. Enumerable.Range(0, rows).Select(i => (long)i)]);
        using (var w = group.NextColumn().LogicalWriter<double?>()) w.WriteBatch([.. Enumerable.Range(0, rows).Select(i => i % 3 == 0 ? (double?)null : i / 2.0)]);
        file.Close();
    }
}
