namespace IotTelemetry.Cloud.Dashboard;

/// <summary>What the page shows at one version: open alerts (oldest first) and cleared ones (newest first).</summary>
public sealed record AlertBoardState(long Version, IReadOnlyList<AlertView> Open, IReadOnlyList<AlertView> History);
