namespace IotTelemetry.OpcUa.Internal.Transport;

/// <summary>The buffer sizes agreed in Hello/Acknowledge (Part 6, 7.1.2.3 and 7.1.2.4).</summary>
internal sealed record TransportLimits(uint ReceiveBufferSize, uint SendBufferSize, uint MaxMessageSize, uint MaxChunkCount)
{
    /// <summary>What this client asks for: 64 KiB chunks, messages up to 64 MiB, any chunk count.</summary>
    public static readonly TransportLimits Client = new(65536, 65536, 64 * 1024 * 1024, 0);
}
