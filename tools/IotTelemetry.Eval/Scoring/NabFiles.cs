using System.Globalization;
using System.Text.Json;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Eval.Scoring;

/// <summary>Reads NAB-format files: <c>timestamp,value</c> CSVs, the windows file and the profiles file.</summary>
public static class NabFiles
{
    private static readonly string[] TimestampFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-dd HH:mm:ss.FFFFFFF"];

    /// <summary>Parses <c>YYYY-MM-DD HH:MM:SS[.ffffff]</c> as UTC into microseconds since the epoch.</summary>
    public static long ParseTimestamp(string text)
    {
        if (!DateTime.TryParseExact(text.Trim(), TimestampFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            throw new FormatException($"expected a timestamp like 2014-04-10 07:15:00, got '{text}'");
        return UnixMicros.FromDateTimeOffset(new DateTimeOffset(t, TimeSpan.Zero));
    }

    public static string FormatTimestamp(long micros) =>
        UnixMicros.ToDateTimeOffset(micros).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Reads a CSV with the header <c>timestamp,value</c>.</summary>
    public static (long[] TimestampsMicros, double[] Values) ReadSeries(string path)
    {
        var ts = new List<long>();
        var values = new List<double>();
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (header is null || !header.Trim().Equals("timestamp,value", StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"{path}: expected the header 'timestamp,value', got '{header}'");
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var comma = text.IndexOf(',');
            if (comma < 0) throw new FormatException($"{path}:{line}: expected 'timestamp,value', got '{text}'");
            ts.Add(ParseTimestamp(text[..comma]));
            if (!double.TryParse(text.AsSpan(comma + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                throw new FormatException($"{path}:{line}: expected a number after the comma, got '{text[(comma + 1)..]}'");
            values.Add(v);
        }
        return ([.. ts], [.. values]);
    }

    /// <summary>Reads <c>combined_windows.json</c>: keys <c>category/file.csv</c>, values lists of [start, end].</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<LabelWindow>> ReadWindows(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var result = new Dictionary<string, IReadOnlyList<LabelWindow>>(StringComparer.Ordinal);
        foreach (var file in doc.RootElement.EnumerateObject())
        {
            var windows = new List<LabelWindow>();
            foreach (var pair in file.Value.EnumerateArray())
            {
                if (pair.GetArrayLength() != 2)
                    throw new FormatException($"{path}: {file.Name}: expected [start, end], got {pair.GetRawText()}");
                windows.Add(new LabelWindow(ParseTimestamp(pair[0].GetString()!), ParseTimestamp(pair[1].GetString()!)));
            }
            windows.Sort((x, y) => x.StartMicros.CompareTo(y.StartMicros));
            result[file.Name.Replace('\\', '/')] = windows;
        }
        return result;
    }

    /// <summary>Reads <c>profiles.json</c>: <c>{ name: { CostMatrix: { tpWeight, fpWeight, fnWeight } } }</c>.</summary>
    public static IReadOnlyList<ScoringProfile> ReadProfiles(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var result = new List<ScoringProfile>();
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (!p.Value.TryGetProperty("CostMatrix", out var m))
                throw new FormatException($"{path}: {p.Name}: expected a CostMatrix object");
            result.Add(new ScoringProfile(p.Name, m.GetProperty("tpWeight").GetDouble(),
                m.GetProperty("fpWeight").GetDouble(), m.GetProperty("fnWeight").GetDouble()));
        }
        return result;
    }
}
