using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.Parquet.Tests;

public sealed class InspectorTests : IDisposable
{
    private readonly string _dir = RepoPaths.NewTempDirectory("parquet-inspect");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Inspect_prints_schema_metadata_row_groups_statistics_and_first_rows()
    {
        var path = Path.Combine(_dir, "inspect.parquet");
        using (var stream = File.Create(path))
            TelemetryParquetWorkload.WriteFile(stream, 1500, 1000, new ParquetWriterOptions
            {
                KeyValueMetadata = new Dictionary<string, string> { ["kafka.topic"] = "telemetry" },
            });
        var output = new StringWriter();

        ParquetInspector.Write(output, path, firstRows: 3);

        var text = output.ToString();
        var lines = text.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("Rows: 1,500 in 2 row group(s)", text);
        Assert.Contains("kafka.topic = telemetry", text);
        Assert.Contains(lines, l => l.StartsWith("time ", StringComparison.Ordinal) && l.Contains("TIMESTAMP(MICROS, isAdjustedToUTC=true)") && l.EndsWith("REQUIRED", StringComparison.Ordinal));
        Assert.Contains("Row group 1: 500 rows", text);
        Assert.Contains(lines, l => l.StartsWith("site ", StringComparison.Ordinal) && l.Contains("PLAIN,RLE_DICTIONARY") && l.Contains("min=\"plant-a\" max=\"plant-c\" nulls=0"));
        Assert.Contains("First 3 row(s):", text);
        Assert.Contains("2026-01-01T00:00:00.010000Z | \"plant-a\" | \"pump-00\" | \"pressure\"", text);
    }
}
