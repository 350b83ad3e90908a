namespace IotTelemetry.Cloud.Notifications;

/// <summary>Every webhook target's <see cref="WebhookStatus"/>.</summary>
public sealed class WebhookStatusBoard(IEnumerable<WebhookTarget> targets)
{
    public IReadOnlyList<WebhookStatus> Targets { get; } = [.. targets.Select(t => new WebhookStatus(t.Name))];

    public WebhookStatus For(string name) => Targets.First(t => t.Name == name);

    /// <summary>Targets retrying an event right now.</summary>
    public int Failing => Targets.Count(t => t.FailingFor > 0);
}
