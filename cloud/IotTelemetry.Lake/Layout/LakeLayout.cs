namespace IotTelemetry.Lake;

/// <summary>Names the sink, the lake tool and readers agree on, besides the partition directories (<see cref="LakePartition"/>).</summary>
public static class LakeLayout
{
    /// <summary>Left by retention in place of a dropped partition's files: the sink writes nothing more there, compaction leaves it alone.</summary>
    public const string TombstoneFileName = "_TOMBSTONE.json";

    /// <summary>The sink's intents, under the dataset: <c>lake/_sink/telemetry-3.json</c> (no reader's <c>*.parquet</c> glob matches it).</summary>
    public const string SinkDirectory = "_sink";

    /// <summary>A data file: what a <c>**/*.parquet</c> glob shows.</summary>
    public static bool IsDataFile(string name) => name.EndsWith(".parquet", StringComparison.Ordinal) && !name.StartsWith('.');

    /// <summary>The UTC start of the hour a partition path names; throws when it is not <c>site=/date=/hour=</c>.</summary>
    public static DateTimeOffset HourStart(string partition) => LakePartition.Parse(partition).HourStart;

    /// <summary>A file-name-safe id for a partition: <c>site=a/date=2026-11-22/hour=09</c> to <c>site=a_date=2026-11-22_hour=09</c>.</summary>
    public static string Id(string partition) => partition.Trim('/').Replace('/', '_');
}
