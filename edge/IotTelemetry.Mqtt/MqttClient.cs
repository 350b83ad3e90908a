using System.Threading.Channels;
using IotTelemetry.Mqtt.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IotTelemetry.Mqtt;

/// <summary>
/// A managed MQTT 3.1.1 / 5.0 client: <see cref="ConnectAsync"/> once, then it keeps the connection
/// alive and reconnects (with backoff) until disposed. Received messages arrive on <see cref="Messages"/>
/// and are acknowledged by the application; publishes are pipelined up to an in-flight window.
/// </summary>
public sealed partial class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<MqttReceivedMessage> _received;
    private readonly CancellationTokenSource _disposeCts = new();
    private readonly object _gate = new();
    private readonly Random _random = new();

    // Session state, guarded by _gate.
    private readonly PendingPublish?[] _outgoing = new PendingPublish?[65536];
    private readonly bool[] _idInUse = new bool[65536];
    private readonly Dictionary<ushort, TaskCompletionSource<SubAckPacket>> _ackWaiters = new();
    private readonly Dictionary<string, MqttQualityOfService> _subscriptions = new(StringComparer.Ordinal);
    private readonly Queue<PendingPublish> _unsent = new();
    private int _inFlight;
    private int _inFlightLimit;
    private ushort _nextPacketId;
    private long _sequence;
    private MqttConnection? _current;
    private TaskCompletionSource _connectedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task? _supervisor;
    private int _connectCalled;
    private int _disposed;
    private long _messagesReceived;
    private long _messagesAcknowledged;
    private long _messagesPublished;
    private long _reconnects;

    public MqttClient(MqttClientOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _inFlightLimit = options.MaxInFlightPublishes;
        _received = Channel.CreateBounded<MqttReceivedMessage>(new BoundedChannelOptions(Math.Max(1, options.ReceiveQueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    /// <summary>Raised after each successful connect and reconnect (on a pool thread; keep handlers short).</summary>
    public event EventHandler<MqttConnectedEventArgs>? Connected;

    /// <summary>Raised once per lost connection, including the final one on dispose.</summary>
    public event EventHandler<MqttDisconnectedEventArgs>? Disconnected;

    public MqttClientOptions Options => _options;

    /// <summary>Messages from the broker, in arrival order. Bounded: while it is full the broker is not read.</summary>
    public ChannelReader<MqttReceivedMessage> Messages => _received.Reader;

    public bool IsConnected => Volatile.Read(ref _current) is { IsBroken: false };

    /// <summary>PUBLISH packets received from the broker.</summary>
    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    /// <summary>PUBACK/PUBREC sent for received messages.</summary>
    public long MessagesAcknowledged => Interlocked.Read(ref _messagesAcknowledged);

    /// <summary>Publishes completed: QoS 0 written, QoS 1 PUBACKed, QoS 2 PUBCOMPed.</summary>
    public long MessagesPublished => Interlocked.Read(ref _messagesPublished);

    /// <summary>Successful reconnects after the first connect.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>QoS 1/2 publishes sent (or to be resent) and awaiting their acknowledgement.</summary>
    public int PublishesInFlight
    {
        get { lock (_gate) return _inFlight; }
    }

    /// <summary>QoS 1/2 publishes waiting for a slot in the in-flight window.</summary>
    public int PublishesQueued
    {
        get { lock (_gate) return _unsent.Count; }
    }

    /// <summary>Sends DISCONNECT (the broker keeps a persistent session), closes the connection, fails pending publishes.</summary>
    public ValueTask DisposeAsync() => DisposeCoreAsync(graceful: true);

    /// <summary>Test hook: drop the socket without DISCONNECT, as a crash would.</summary>
    internal ValueTask AbortAsync() => DisposeCoreAsync(graceful: false);

    /// <summary>Test hook: break the current connection as a network fault would; the client reconnects.</summary>
    internal void BreakConnection(string reason) => Volatile.Read(ref _current)?.Break(reason);

    private async ValueTask DisposeCoreAsync(bool graceful)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            _disposeCts.Cancel();
            if (_supervisor is not null)
            {
                try { await _supervisor.ConfigureAwait(false); }
                catch (Exception) { }
            }
            var connection = Volatile.Read(ref _current);
            if (connection is not null)
            {
                if (!connection.IsBroken && graceful)
                {
                    connection.LocalCloseReason = "client disconnected";
                    if (connection.Queue.TryEnqueue(PacketEncoder.Disconnect))
                    {
                        // Wait for the broker to close its side: then it has processed every acknowledgement sent
                        // before the DISCONNECT (a new connection with our client id cannot overtake them).
                        try { await connection.Closed.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false); }
                        catch (TimeoutException) { }
                    }
                }
                connection.Break(graceful ? "client disconnected" : "client aborted");
                OnConnectionLost(connection, await connection.Closed.ConfigureAwait(false));
            }
            var disposed = new ObjectDisposedException(nameof(MqttClient), "The MQTT client was disposed before the broker acknowledged the publish");
            List<PendingPublish> pending = [];
            lock (_gate)
            {
                pending.AddRange(_unsent);
                _unsent.Clear();
                for (var i = 0; i < _outgoing.Length; i++)
                {
                    if (_outgoing[i] is { } p) pending.Add(p);
                    _outgoing[i] = null;
                }
                _connectedSignal.TrySetException(new ObjectDisposedException(nameof(MqttClient)));
            }
            foreach (var p in pending) p.TrySetException(disposed);
            _received.Writer.TryComplete();
        }
        catch (Exception)
        {
            // Dispose never throws.
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private void Raise<T>(EventHandler<T>? handler, T args, string name)
    {
        if (handler is null) return;
        try { handler(this, args); }
        catch (Exception ex) { LogMessages.EventHandlerFailed(_logger, name, ex); }
    }
}
