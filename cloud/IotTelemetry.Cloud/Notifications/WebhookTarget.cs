namespace IotTelemetry.Cloud.Notifications;

/// <summary>One entry of <c>Notifications:Webhooks</c>: where alert events are POSTed as JSON.</summary>
public sealed class WebhookTarget
{
    /// <summary>Names the target in metrics and logs, and its consumer group (<c>iott-webhook-NAME</c>).</summary>
    public string Name { get; set; } = "";

    public string Url { get; set; } = "";

    /// <summary>Which alert events to send: Raised, Cleared (default), also Updated or Acknowledged.</summary>
    public List<string> Kinds { get; set; } = [];

    /// <summary>Optional shared secret: the body's HMAC-SHA256 goes in <c>X-Iott-Signature: sha256=HEX</c>.</summary>
    public string? Secret { get; set; }

    public string? SecretFile { get; set; }

    /// <summary>Where a target with no delivery history starts on the alerts topic: Latest (default) or Earliest.</summary>
    public string StartAt { get; set; } = "Latest";

    internal string? ResolvedSecret { get; set; }
}
