using IotTelemetry.OpcUa.Internal.Encoding;

namespace IotTelemetry.OpcUa.Internal.Transport;

/// <summary>The ERR message (Part 6, 7.1.2.5): a status code and a reason, after which the server closes the socket.</summary>
internal static class ErrorMessage
{
    public static OpcUaException Read(UaReader r, string endpoint, string during)
    {
        var code = r.ReadStatusCode();
        var reason = r.ReadString();
        var transient = code.Code is StatusCodes.BadTcpServerTooBusy or StatusCodes.BadServerHalted or StatusCodes.BadTimeout
            or StatusCodes.BadSecureChannelIdInvalid or StatusCodes.BadSecureChannelClosed or StatusCodes.BadTcpInternalError;
        return new OpcUaException(endpoint, code.Code,
            $"the server sent an error during {during}: {code}{(string.IsNullOrEmpty(reason) ? "" : " " + reason)}", transient);
    }
}
