using System.Buffers.Binary;
using System.Net.Sockets;
using IotTelemetry.OpcUa.Internal.Encoding;

namespace IotTelemetry.OpcUa.Internal.Transport;

/// <summary>
/// One UA TCP connection (Part 6, 7.1): the socket, the Hello/Acknowledge handshake, and reading and writing whole
/// chunks (8-byte header: type, chunk type, UInt32 size).
/// </summary>
internal sealed class TcpConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _header = new byte[8];

    private TcpConnection(TcpClient client, EndpointAddress address)
    {
        _client = client;
        _stream = client.GetStream();
        Address = address;
    }

    public EndpointAddress Address { get; }
    public TransportLimits Limits { get; private set; } = TransportLimits.Client;

    public static async Task<TcpConnection> ConnectAsync(EndpointAddress address, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(address.Host, address.Port, cancellationToken).ConfigureAwait(false);
            var connection = new TcpConnection(client, address);
            await connection.HelloAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task HelloAsync(CancellationToken cancellationToken)
    {
        using var w = new UaWriter();
        w.WriteUInt32(MessageTypes.Hello | (uint)MessageTypes.Final << 24);
        w.WriteUInt32(0);
        w.WriteUInt32(0); // protocol version
        var ours = TransportLimits.Client;
        w.WriteUInt32(ours.ReceiveBufferSize);
        w.WriteUInt32(ours.SendBufferSize);
        w.WriteUInt32(ours.MaxMessageSize);
        w.WriteUInt32(ours.MaxChunkCount);
        w.WriteString(Address.Url);
        w.PatchUInt32(4, (uint)w.Position);
        await WriteAsync(w.WrittenMemory, cancellationToken).ConfigureAwait(false);

        var (type, _, chunk) = await ReadChunkAsync(cancellationToken).ConfigureAwait(false);
        var r = new UaReader(chunk[8..]);
        if (type == MessageTypes.Error) throw ErrorMessage.Read(r, Address.Url, "Hello");
        if (type != MessageTypes.Acknowledge)
            throw new OpcUaException(Address.Url, StatusCodes.BadTcpMessageTypeInvalid,
                $"Expected ACK after HEL but got {MessageTypes.Name(type)}", isTransient: true);
        r.ReadUInt32(); // protocol version
        var receive = r.ReadUInt32();
        var send = r.ReadUInt32();
        Limits = new TransportLimits(receive, send, r.ReadUInt32(), r.ReadUInt32());
        if (receive < 8192)
            throw new OpcUaException(Address.Url, StatusCodes.BadTcpMessageTooLarge,
                $"Expected a server receive buffer of at least 8192 bytes but the server said {receive}", isTransient: false);
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken) =>
        _stream.WriteAsync(chunk, cancellationToken);

    /// <summary>Reads one chunk: its message type, chunk type and the whole chunk, header included.</summary>
    public async Task<(uint Type, byte ChunkType, Memory<byte> Chunk)> ReadChunkAsync(CancellationToken cancellationToken)
    {
        await _stream.ReadExactlyAsync(_header, cancellationToken).ConfigureAwait(false);
        var type = (uint)(_header[0] | _header[1] << 8 | _header[2] << 16);
        var chunkType = _header[3];
        var size = BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(4));
        var limit = Math.Max(TransportLimits.Client.ReceiveBufferSize, 8192u);
        if (size < 8 || size > limit)
            throw new OpcUaException(Address.Url, StatusCodes.BadTcpMessageTooLarge,
                $"Expected a chunk of 8..{limit} bytes but the header of a {MessageTypes.Name(type)} chunk says {size}", isTransient: true);
        var chunk = new byte[size];
        _header.CopyTo(chunk, 0);
        await _stream.ReadExactlyAsync(chunk.AsMemory(8), cancellationToken).ConfigureAwait(false);
        return (type, chunkType, chunk.AsMemory());
    }

    private int _disposed;

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return ValueTask.CompletedTask;
        try
        {
            _client.Client?.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
