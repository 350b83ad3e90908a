using System.Globalization;
using IotTelemetry.Lake.Catalog;

namespace IotTelemetry.LakeTool;

/// <summary><c>--retention lake=365,rollup-1m=730</c>: the retention the catalog states per dataset; unnamed ones keep their defaults.</summary>
public static class KeepDays
{
    public static Func<string, int> Parse(string? option)
    {
        var given = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pair in (option ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0 || !int.TryParse(pair[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var days))
                throw new ArgumentException($"Expected --retention as dataset=days[,dataset=days], got '{pair}'");
            given[pair[..eq]] = days;
        }
        return dataset => given.TryGetValue(dataset, out var d) ? d : RetentionDefaults.KeepDays(dataset);
    }
}
