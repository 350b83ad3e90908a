namespace IotTelemetry.Anomaly;

/// <summary>Alert lifecycle (configuration key <c>Anomaly:Alerts</c>).</summary>
public sealed class AlertPolicyOptions
{
    /// <summary>At most one Updated event per open alert per this interval (event time).</summary>
    public TimeSpan UpdateInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>After a Cleared, the same condition does not raise again for this long (event time).</summary>
    public TimeSpan CoolDown { get; set; } = TimeSpan.FromMinutes(5);
}
