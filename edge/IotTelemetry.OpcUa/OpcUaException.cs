namespace IotTelemetry.OpcUa;

/// <summary>
/// A failure talking to an OPC UA server: names the endpoint, the operation and the status code
/// (for example <c>BadUserAccessDenied (0x801F0000)</c>). <see cref="IsTransient"/> tells whether trying again
/// later may help (connection lost, timeout) or the configuration must change (wrong password, refused security).
/// </summary>
public sealed class OpcUaException : Exception
{
    public OpcUaException(string endpoint, uint statusCode, string message, bool isTransient, Exception? inner = null)
        : base($"{endpoint}: {message}", inner)
    {
        Endpoint = endpoint;
        StatusCode = statusCode;
        IsTransient = isTransient;
    }

    public string Endpoint { get; }
    public uint StatusCode { get; }

    /// <summary>The standard name of <see cref="StatusCode"/>, such as BadNodeIdUnknown.</summary>
    public string StatusName => Internal.Encoding.StatusCodes.NameOf(StatusCode);

    public bool IsTransient { get; }
}
