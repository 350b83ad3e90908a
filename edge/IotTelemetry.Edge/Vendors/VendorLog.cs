using Microsoft.Extensions.Logging;

namespace IotTelemetry.Edge.Vendors;

/// <summary>Log messages of vendor curation (event ids 1500-1599).</summary>
internal static partial class VendorLog
{
    [LoggerMessage(1500, LogLevel.Information, "Vendor {Vendor}: curating {Source} -> {Target} with policy {Version}")]
    public static partial void Started(ILogger logger, string vendor, string source, string target, string version);

    [LoggerMessage(1501, LogLevel.Information, "Vendor {Vendor}: {Source}[{Partition}] resumes at offset {Offset}: {Why}")]
    public static partial void Resuming(ILogger logger, string vendor, string source, int partition, long offset, string why);

    [LoggerMessage(1502, LogLevel.Warning, "Vendor {Vendor}: session failed: {Reason}; restarting in {Seconds} s from the last curated record")]
    public static partial void SessionFailed(ILogger logger, string vendor, string reason, double seconds);

    [LoggerMessage(1503, LogLevel.Warning, "Vendor {Vendor}: policy {Version} of the last curated record is not in {Journal}; windows it had open are not emitted, the current policy applies from offset {Offset}")]
    public static partial void PreviousPolicyMissing(ILogger logger, string vendor, string version, string journal, long offset);

    [LoggerMessage(1504, LogLevel.Warning, "Vendor {Vendor}: {Source}[{Partition}] offset {Offset} is not a reading ({Reason}); skipped")]
    public static partial void NotAReading(ILogger logger, string vendor, string source, int partition, long offset, string reason);

    [LoggerMessage(1505, LogLevel.Warning, "Vendor {Vendor}: committing offsets failed: {Reason} (curated records are safe; only lag reporting is behind)")]
    public static partial void CommitFailed(ILogger logger, string vendor, string reason);

    [LoggerMessage(1507, LogLevel.Error, "Vendor {Vendor}: {Source}[{Partition}] offsets {From}..{To} ({Count} records) were deleted by the edge cluster before they were curated; continuing at {Next}")]
    public static partial void Missing(ILogger logger, string vendor, string source, int partition, long from, long to, long count, long next);
}
