namespace IotTelemetry.Mqtt.Internal;

/// <summary>
/// Packets waiting to be written to one connection. Senders copy encoded packets in under a lock;
/// one writer at a time (the writer loop, or the read loop inline) swaps the filled buffer for an empty
/// one and writes it with a single call, so packets queued while a write is in progress go out together
/// (few syscalls at high rates).
/// </summary>
internal sealed class OutboundQueue
{
    /// <summary>Above this many queued bytes QoS 0 senders wait (<see cref="WaitForSpaceAsync"/>).</summary>
    public const int HighWaterMark = 1024 * 1024;

    private const int InitialSize = 64 * 1024;
    private const int MaxRetainedSize = 4 * 1024 * 1024;

    private readonly object _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private byte[] _pending = new byte[InitialSize];
    private byte[]? _spare = new byte[InitialSize];
    private int _pendingLength;
    private bool _signaled;
    private bool _writing;
    private bool _closed;
    private TaskCompletionSource? _spaceWaiters;
    private long _lastWriteTicks = Environment.TickCount64;

    /// <summary><see cref="Environment.TickCount64"/> when the last write to the stream finished.</summary>
    public long LastWriteTicks => Volatile.Read(ref _lastWriteTicks);

    public bool IsOverHighWaterMark => Volatile.Read(ref _pendingLength) >= HighWaterMark;

    /// <summary>Copies <paramref name="packet"/> in; false once the queue is closed (the connection is gone).</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> packet)
    {
        bool signal;
        lock (_gate)
        {
            if (_closed) return false;
            var needed = _pendingLength + packet.Length;
            if (needed > _pending.Length)
            {
                var bigger = new byte[Math.Max(needed, _pending.Length * 2)];
                _pending.AsSpan(0, _pendingLength).CopyTo(bigger);
                _pending = bigger;
            }
            packet.CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength = needed;
            signal = !_signaled;
            _signaled = true;
        }
        if (signal) _signal.Release();
        return true;
    }

    /// <summary>Completes when fewer than <see cref="HighWaterMark"/> bytes are queued (or the queue closed).</summary>
    public ValueTask WaitForSpaceAsync(CancellationToken cancellationToken)
    {
        Task task;
        lock (_gate)
        {
            if (_closed || _pendingLength < HighWaterMark) return ValueTask.CompletedTask;
            _spaceWaiters ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            task = _spaceWaiters.Task;
        }
        return new ValueTask(task.WaitAsync(cancellationToken));
    }

    /// <summary>The writer loop: runs until cancelled or the stream fails (the caller breaks the connection).</summary>
    public async Task RunWriterAsync(Stream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate) _signaled = false;
            await WriteOnceAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes what is queued right now on the caller's thread, unless a write is already in progress (that
    /// writer picks it up). The read loop calls this before it waits for the socket, so packets it queued
    /// in answer to what it read (PUBREL, PUBCOMP, the next publishes of the window) leave without a thread hop.
    /// </summary>
    public ValueTask FlushInlineAsync(Stream stream, CancellationToken cancellationToken) => WriteOnceAsync(stream, cancellationToken);

    private async ValueTask WriteOnceAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] buffer;
        int length;
        TaskCompletionSource? space;
        lock (_gate)
        {
            if (_writing || _pendingLength == 0) return;
            _writing = true;
            buffer = _pending;
            length = _pendingLength;
            _pending = _spare ?? new byte[InitialSize];
            _spare = null;
            _pendingLength = 0;
            space = _spaceWaiters;
            _spaceWaiters = null;
        }
        space?.TrySetResult();
        try
        {
            await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _lastWriteTicks, Environment.TickCount64);
        }
        finally
        {
            var signal = false;
            lock (_gate)
            {
                _writing = false;
                if (buffer.Length <= MaxRetainedSize) _spare = buffer;
                // Packets queued during this write: make sure the writer loop takes them.
                if (_pendingLength > 0 && !_signaled) signal = _signaled = true;
            }
            if (signal) _signal.Release();
        }
    }

    /// <summary>Refuses further packets and releases every waiter.</summary>
    public void Close()
    {
        TaskCompletionSource? space;
        lock (_gate)
        {
            _closed = true;
            space = _spaceWaiters;
            _spaceWaiters = null;
        }
        space?.TrySetResult();
    }
}
