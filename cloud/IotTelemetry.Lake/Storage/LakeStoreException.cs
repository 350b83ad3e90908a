namespace IotTelemetry.Lake;

/// <summary>
/// A store operation that failed in transport or at the service (an <see cref="IOException"/>, so every caller that
/// survives a full disk survives an unreachable blob service too). The message names the operation, the object and the
/// service's status and error code; it never holds a credential.
/// </summary>
public sealed class LakeStoreException(string message, bool isTransient, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>True when trying again later may succeed (time-outs, throttling, 5xx, connection failures); false for 4xx such as 403 or 404.</summary>
    public bool IsTransient { get; } = isTransient;
}
