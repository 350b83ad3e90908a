namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>A UA Binary stream that does not hold what its layout says it must.</summary>
internal sealed class UaDecodingException(string message) : Exception(message);
