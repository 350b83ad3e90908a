using System.Globalization;

namespace IotTelemetry.Parquet;

/// <summary>
/// A typical telemetry schema and synthetic rows for throughput measurements (benchmarks and smoke
/// checks): event time, five dictionary-friendly strings, a double value, an int quality and the
/// ingest time.
/// </summary>
public static class TelemetryParquetWorkload
{
    /// <summary>time, site, asset, sensor, unit, source, value, quality, ingest_time.</summary>
    public static ParquetSchema Schema { get; } = new(
        new ParquetField("time", ParquetColumnType.Timestamp),
        new ParquetField("site", ParquetColumnType.String),
        new ParquetField("asset", ParquetColumnType.String),
        new ParquetField("sensor", ParquetColumnType.String),
        new ParquetField("unit", ParquetColumnType.String),
        new ParquetField("source", ParquetColumnType.String),
        new ParquetField("value", ParquetColumnType.Double),
        new ParquetField("quality", ParquetColumnType.Int32),
        new ParquetField("ingest_time", ParquetColumnType.Timestamp));

    /// <summary>
    /// Appends <paramref name="rowCount"/> readings to <paramref name="rows"/> (which must use <see cref="Schema"/>):
    /// 3 sites x 40 assets x 8 sensors sampled round robin every 10 ms, as a sink would append them.
    /// </summary>
    public static void AppendRows(ParquetRowBuffer rows, int rowCount, long startMicros = 1_767_225_600_000_000, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!rows.Schema.SameAs(Schema)) throw new ArgumentException("Expected a row buffer of TelemetryParquetWorkload.Schema", nameof(rows));
        var time = rows.Column<TimestampColumn>(0);
        var site = rows.Column<StringColumn>(1);
        var asset = rows.Column<StringColumn>(2);
        var sensor = rows.Column<StringColumn>(3);
        var unit = rows.Column<StringColumn>(4);
        var source = rows.Column<StringColumn>(5);
        var value = rows.Column<DoubleColumn>(6);
        var quality = rows.Column<Int32Column>(7);
        var ingest = rows.Column<TimestampColumn>(8);
        var names = Names.Instance;
        var random = new Random(seed);
        for (var i = 0; i < rowCount; i++)
        {
            var s = i % names.Sensors.Length;
            var a = i / names.Sensors.Length % names.Assets.Length;
            var p = i / (names.Sensors.Length * names.Assets.Length) % names.Sites.Length;
            var t = startMicros + i * 10_000L;
            time.Add(t);
            site.Add(names.Sites[p]);
            asset.Add(names.Assets[a]);
            sensor.Add(names.Sensors[s]);
            unit.Add(names.Units[s]);
            source.Add(names.Sources[(p * names.Assets.Length + a) * names.Sensors.Length + s]);
            value.Add(Math.Round(50 + 10 * Math.Sin(i * 0.001) + random.NextDouble(), 3));
            quality.Add(random.Next(100) < 98 ? 0 : 1);
            ingest.Add(t + 1_500 + random.Next(2_000));
        }
    }

    /// <summary>Writes <paramref name="rowCount"/> rows in row groups of <paramref name="rowsPerGroup"/>; returns the file size.</summary>
    public static long WriteFile(Stream output, int rowCount, int rowsPerGroup, ParquetWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowsPerGroup);
        using var writer = new ParquetWriter(output, Schema, options);
        var rows = new ParquetRowBuffer(Schema, Math.Min(rowCount, rowsPerGroup));
        for (var written = 0; written < rowCount; written += rowsPerGroup)
        {
            AppendRows(rows, Math.Min(rowsPerGroup, rowCount - written), 1_767_225_600_000_000 + written * 10_000L, written);
            writer.WriteRowGroup(rows);
            rows.Clear();
        }
        writer.Complete();
        return writer.BytesWritten;
    }

    private sealed class Names
    {
        public static readonly Names Instance = new();
        public readonly string[] Sites = ["plant-a", "plant-b", "plant-c"];
        public readonly string[] Assets = new string[40];
        public readonly string[] Sensors = ["temperature", "pressure", "vibration", "flow", "current", "voltage", "speed", "level"];
        public readonly string[] Units = ["degC", "bar", "mm/s", "m3/h", "A", "V", "rpm", "%"];
        public readonly string[] Sources;

        private Names()
        {
            for (var a = 0; a < Assets.Length; a++) Assets[a] = "pump-" + a.ToString("D2", CultureInfo.InvariantCulture);
            Sources = new string[Sites.Length * Assets.Length * Sensors.Length];
            for (var p = 0; p < Sites.Length; p++)
                for (var a = 0; a < Assets.Length; a++)
                    for (var s = 0; s < Sensors.Length; s++)
                        Sources[(p * Assets.Length + a) * Sensors.Length + s] = $"mqtt:plants/{Sites[p]}/{Assets[a]}/{Sensors[s]}";
        }
    }
}
