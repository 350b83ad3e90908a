namespace IotTelemetry.Common.Hosting;

/// <summary>
/// Runs a long-lived loop (a Kafka consumer, typically) on its own thread, and after a failure runs it again
/// from scratch with a growing pause (0.5 s doubling to 30 s), until the host stops.
/// </summary>
public static class RestartingLoop
{
    /// <param name="run">One session; returns when <paramref name="stopping"/> is cancelled, throws on failure.</param>
    /// <param name="isRestartable">Failures that start a new session; others end the loop (and fail the host).</param>
    /// <param name="onFailure">Told the failure and the pause before the next session (to log it).</param>
    public static Task Start(Action<CancellationToken> run, Func<Exception, bool> isRestartable, Action<Exception, TimeSpan> onFailure,
        CancellationToken stopping) =>
        Task.Factory.StartNew(() =>
        {
            var pause = TimeSpan.FromMilliseconds(500);
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    run(stopping);
                    pause = TimeSpan.FromMilliseconds(500);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (isRestartable(ex))
                {
                    onFailure(ex, pause);
                    stopping.WaitHandle.WaitOne(pause);
                    pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                }
            }
        }, stopping, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
