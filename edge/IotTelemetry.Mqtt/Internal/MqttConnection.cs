namespace IotTelemetry.Mqtt.Internal;

/// <summary>
/// One TCP (or TLS) connection after a successful CONNACK. <see cref="Break"/> is the one place
/// that ends it: it cancels its loops, closes the stream and records why, once.
/// </summary>
internal sealed class MqttConnection
{
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource<MqttDisconnectedEventArgs> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _broken;
    private int _blockedOnConsumer;
    private long _lastUnblockedTicks = Environment.TickCount64;

    public MqttConnection(Stream stream, PacketReader reader, bool sessionPresent, int maximumPacketSize, string maximumPacketSizeSource)
    {
        Stream = stream;
        Reader = reader;
        SessionPresent = sessionPresent;
        MaximumPacketSize = maximumPacketSize;
        MaximumPacketSizeSource = maximumPacketSizeSource;
    }

    public Stream Stream { get; }
    public PacketReader Reader { get; }
    public OutboundQueue Queue { get; } = new();
    public bool SessionPresent { get; }

    /// <summary>The broker's MQTT 5 Receive Maximum: how many QoS 1/2 publishes it takes unacknowledged.</summary>
    public int ReceiveMaximum { get; init; } = ushort.MaxValue;

    /// <summary>The smaller of our limit and the broker's (MQTT 5 CONNACK Maximum Packet Size).</summary>
    public int MaximumPacketSize { get; }

    public string MaximumPacketSizeSource { get; }
    public CancellationToken Token => _cts.Token;
    public bool IsBroken => Volatile.Read(ref _broken) != 0;
    public Task<MqttDisconnectedEventArgs> Closed => _closed.Task;

    /// <summary>Set when we sent DISCONNECT: the broker closing the socket is then expected.</summary>
    public string? LocalCloseReason { get; set; }

    /// <summary>When the last unanswered PINGREQ was sent, or 0.</summary>
    public long PingSentTicks { get; set; }

    /// <summary>The read loop is waiting for the application to take messages: the socket is not being read.</summary>
    public bool IsBlockedOnConsumer => Volatile.Read(ref _blockedOnConsumer) != 0;

    public long LastUnblockedTicks => Volatile.Read(ref _lastUnblockedTicks);

    public void SetBlockedOnConsumer(bool blocked)
    {
        if (!blocked) Volatile.Write(ref _lastUnblockedTicks, Environment.TickCount64);
        Volatile.Write(ref _blockedOnConsumer, blocked ? 1 : 0);
    }

    /// <summary>Ends the connection; true for the call that actually did it.</summary>
    public bool Break(string reason, byte? reasonCode = null, Exception? exception = null)
    {
        if (Interlocked.Exchange(ref _broken, 1) != 0) return false;
        Queue.Close();
        try { _cts.Cancel(); }
        catch (AggregateException) { }
        try { Stream.Dispose(); }
        catch (Exception) { }
        _closed.TrySetResult(new MqttDisconnectedEventArgs(reason, reasonCode, exception));
        return true;
    }
}
