using System.Globalization;

namespace IotTelemetry.Eval.Scoring;

/// <summary>One SKAB CSV (<c>datetime;sensor...;anomaly;changepoint</c>, separator <c>;</c>; without the two label
/// columns, as <c>anomaly-free/anomaly-free.csv</c>, every row is normal).</summary>
/// <param name="Name">Path relative to the SKAB directory, e.g. <c>valve1/0.csv</c>.</param>
/// <param name="Sensors">The sensor column names, in file order.</param>
/// <param name="TimestampsMicros">Row timestamps (UTC, microseconds since the epoch).</param>
/// <param name="Rows">Row-major sensor values, <c>Sensors.Count</c> per row.</param>
/// <param name="Anomaly">The <c>anomaly</c> column per row.</param>
/// <param name="Changepoint">The <c>changepoint</c> column per row.</param>
public sealed record SkabFile(
    string Name, IReadOnlyList<string> Sensors, long[] TimestampsMicros, double[] Rows, bool[] Anomaly, bool[] Changepoint)
{
    /// <summary>The benchmark's training rows at the start of each file.</summary>
    public const int TrainingRows = 400;

    public ReadOnlySpan<double> Row(int i) => Rows.AsSpan(i * Sensors.Count, Sensors.Count);

    /// <summary>Every CSV under <paramref name="directory"/> except <c>anomaly-free/</c> (it has no labels to score),
    /// in name order.</summary>
    public static IReadOnlyList<SkabFile> LoadAll(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"expected the SKAB directory, got '{directory}' (not found)");
        var names = Directory.EnumerateFiles(directory, "*.csv", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Where(n => !n.StartsWith("anomaly-free/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0) throw new InvalidDataException($"expected SKAB CSV files under '{directory}', found none");
        return names.Select(n => Read(Path.Combine(directory, n), n)).ToList();
    }

    public static SkabFile Read(string path, string name)
    {
        using var reader = File.OpenText(path);
        var header = (reader.ReadLine() ?? throw new InvalidDataException($"{name}: empty file")).Split(';');
        var anomaly = Array.IndexOf(header, "anomaly");
        var changepoint = Array.IndexOf(header, "changepoint");
        var labelled = anomaly >= 0 && changepoint >= 0;
        if (header[0] != "datetime" || (!labelled && (anomaly >= 0 || changepoint >= 0)))
            throw new InvalidDataException($"{name}: expected a header 'datetime;...[;anomaly;changepoint]', got '{string.Join(';', header)}'");
        var sensorColumns = Enumerable.Range(1, header.Length - 1).Where(c => c != anomaly && c != changepoint).ToArray();
        var ts = new List<long>();
        var rows = new List<double>();
        var anomalies = new List<bool>();
        var changepoints = new List<bool>();
        var line = 1;
        for (var text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Length == 0) continue;
            var cells = text.Split(';');
            if (cells.Length != header.Length)
                throw new InvalidDataException($"{name} line {line}: expected {header.Length} cells, got {cells.Length}");
            var time = DateTime.ParseExact(cells[0], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            ts.Add((time - DateTime.UnixEpoch).Ticks / 10);
            foreach (var c in sensorColumns) rows.Add(double.Parse(cells[c], CultureInfo.InvariantCulture));
            anomalies.Add(labelled && double.Parse(cells[anomaly], CultureInfo.InvariantCulture) != 0);
            changepoints.Add(labelled && double.Parse(cells[changepoint], CultureInfo.InvariantCulture) != 0);
        }
        return new SkabFile(name, sensorColumns.Select(c => header[c]).ToArray(), [.. ts], [.. rows], [.. anomalies], [.. changepoints]);
    }
}
