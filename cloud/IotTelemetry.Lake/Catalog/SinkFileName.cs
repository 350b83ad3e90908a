using System.Globalization;
using IotTelemetry.Lake.Lineage;

namespace IotTelemetry.Lake.Catalog;

/// <summary>The sink's deterministic file names, <c>{topic}-{partition:D3}-{first:D20}-{last:D20}.parquet</c>, read back.</summary>
public static class SinkFileName
{
    /// <summary>The offsets the name covers (rows unknown: 0); false for any other name.</summary>
    public static bool TryParse(string name, out KafkaRange range)
    {
        range = null!;
        if (!name.EndsWith(".parquet", StringComparison.Ordinal)) return false;
        var parts = name[..^".parquet".Length].Split('-');
        if (parts.Length < 4) return false;
        if (!int.TryParse(parts[^3], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            || !long.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
            return false;
        range = new KafkaRange(string.Join('-', parts[..^3]), partition, first, last, 0);
        return true;
    }
}
