namespace IotTelemetry.LakeTool;

/// <summary>
/// The retention flags of <c>retention</c> and <c>catalog</c>: days per dataset (<c>--keep-days</c>,
/// <c>--keep-1m-days</c>, <c>--keep-1h-days</c>) and the host configuration file (<c>--config</c>); null where not given.
/// </summary>
public sealed record RetentionFlags(int? KeepDays = null, int? KeepMinuteDays = null, int? KeepHourDays = null, string? Config = null);
