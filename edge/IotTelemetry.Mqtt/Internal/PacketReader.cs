namespace IotTelemetry.Mqtt.Internal;

/// <summary>
/// Cuts a byte stream into MQTT packets using the fixed header's remaining length. Reads in large
/// chunks into one buffer that grows only for packets bigger than it, up to the maximum packet size.
/// </summary>
internal sealed class PacketReader
{
    private const int InitialSize = 64 * 1024;
    private readonly Stream _stream;
    private readonly int _maxPacketSize;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _lastReceiveTicks = Environment.TickCount64;

    public PacketReader(Stream stream, int maxPacketSize)
    {
        _stream = stream;
        _maxPacketSize = maxPacketSize;
        _buffer = new byte[Math.Min(InitialSize, maxPacketSize)];
    }

    /// <summary><see cref="Environment.TickCount64"/> when bytes last arrived.</summary>
    public long LastReceiveTicks => Volatile.Read(ref _lastReceiveTicks);

    /// <summary>A whole packet is buffered: the next <see cref="ReadAsync"/> will not wait for the socket.</summary>
    public bool HasBufferedPacket
    {
        get
        {
            var available = _end - _start;
            return available >= 2
                && VariableByteInteger.TryRead(_buffer.AsSpan(_start + 1, available - 1), out var remaining, out var lengthSize)
                && available >= 1 + lengthSize + remaining;
        }
    }

    /// <summary>The next packet, or null when the peer closed the stream cleanly between packets.</summary>
    public async ValueTask<RawPacket?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var available = _end - _start;
            if (available >= 2 && VariableByteInteger.TryRead(_buffer.AsSpan(_start + 1, available - 1), out var remaining, out var lengthSize))
            {
                var total = 1 + lengthSize + remaining;
                if (total > _maxPacketSize)
                    throw new MqttPacketTooLargeException(total, _maxPacketSize, "Mqtt:MaximumPacketSize");
                if (available >= total)
                {
                    var header = _buffer[_start];
                    var body = new ReadOnlyMemory<byte>(_buffer, _start + 1 + lengthSize, remaining);
                    _start += total;
                    return new RawPacket(header, body);
                }
                MakeRoom(total);
            }
            else
            {
                MakeRoom(5);
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (_end > _start)
                    throw new MqttProtocolException($"Expected the rest of a packet but the connection closed with {_end - _start} bytes of it read");
                return null;
            }
            _end += read;
            Volatile.Write(ref _lastReceiveTicks, Environment.TickCount64);
        }
    }

    /// <summary>Makes sure a packet of <paramref name="needed"/> bytes starting at <c>_start</c> fits, with space to read into.</summary>
    private void MakeRoom(int needed)
    {
        var available = _end - _start;
        if (needed > _buffer.Length)
        {
            var bigger = new byte[Math.Min(Math.Max(needed, _buffer.Length * 2), _maxPacketSize)];
            _buffer.AsSpan(_start, available).CopyTo(bigger);
            _buffer = bigger;
            _start = 0;
            _end = available;
        }
        else if (_start > 0 && (_start + needed > _buffer.Length || _end == _buffer.Length || available == 0))
        {
            _buffer.AsSpan(_start, available).CopyTo(_buffer);
            _start = 0;
            _end = available;
        }
    }
}
