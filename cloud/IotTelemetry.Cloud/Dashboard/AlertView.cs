using IotTelemetry.Anomaly;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>An alert as the page shows it: its latest event and, once acknowledged, who did it.</summary>
public sealed record AlertView(AlertEvent Alert, Acknowledgement? Ack);
