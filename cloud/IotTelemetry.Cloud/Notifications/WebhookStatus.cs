namespace IotTelemetry.Cloud.Notifications;

/// <summary>One target's delivery state, for the health view.</summary>
public sealed class WebhookStatus(string name)
{
    private readonly object _gate = new();
    private string? _lastError;
    private int _failingFor;

    public string Name { get; } = name;

    /// <summary>Attempts failed in a row on the current event (0 when the last delivery succeeded).</summary>
    public int FailingFor { get { lock (_gate) return _failingFor; } }

    public string? LastError { get { lock (_gate) return _lastError; } }

    internal void Failed(string error)
    {
        lock (_gate) { _failingFor++; _lastError = error; }
    }

    internal void Delivered()
    {
        lock (_gate) _failingFor = 0;
    }
}
