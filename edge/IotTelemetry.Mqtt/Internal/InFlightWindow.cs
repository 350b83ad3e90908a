namespace IotTelemetry.Mqtt.Internal;

/// <summary>
/// Counts QoS 1/2 publishes awaiting acknowledgement and makes senders wait when the limit is
/// reached. Unlike SemaphoreSlim its limit can change (the broker's Receive Maximum per connection).
/// </summary>
internal sealed class InFlightWindow(int limit)
{
    private readonly object _gate = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private int _limit = limit;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public bool TryEnter()
    {
        lock (_gate)
        {
            if (_count >= _limit) return false;
            _count++;
            return true;
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (_count < _limit)
            {
                _count++;
                return Task.CompletedTask;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetCanceled(), waiter);
            _ = waiter.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return waiter.Task;
    }

    public void Release()
    {
        lock (_gate)
        {
            _count--;
            WakeWaiters();
        }
    }

    public void SetLimit(int limit)
    {
        lock (_gate)
        {
            _limit = limit;
            WakeWaiters();
        }
    }

    /// <summary>Fails every waiter (the client is being disposed).</summary>
    public void FailWaiters(Exception exception)
    {
        lock (_gate)
        {
            while (_waiters.TryDequeue(out var waiter)) waiter.TrySetException(exception);
        }
    }

    private void WakeWaiters()
    {
        // A waiter whose wait was cancelled refuses the slot; it goes to the next one.
        while (_count < _limit && _waiters.TryDequeue(out var waiter))
            if (waiter.TrySetResult()) _count++;
    }
}
