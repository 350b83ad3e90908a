namespace IotTelemetry.LakeTool;

/// <summary>What a compaction did: <see cref="Merged"/> is null when it left the partition as it was, and <see cref="Skipped"/> says why.</summary>
public sealed record CompactionResult(string Partition, string? Merged, int SourceFiles, long Rows, string? Skipped);
