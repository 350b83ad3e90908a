using Polly;

namespace IotTelemetry.Common.Hosting;

/// <summary>
/// Runs a long-lived loop (a Kafka consumer session, typically) on its own thread, and after a failure runs it again
/// from scratch with a growing pause (0.5 s doubling to 30 s), until the host stops. The pause is a Polly retry strategy;
/// a session that returns on its own (not stopped, not failed) starts the next one at once, with the pause back at 0.5 s.
/// </summary>
public static class RestartingLoop
{
    /// <summary>The first pause after a failure.</summary>
    public static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest pause: an outage of hours is retried every 30 s.</summary>
    public static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    /// <param name="run">One session; returns when <paramref name="stopping"/> is cancelled, throws on failure.</param>
    /// <param name="isRestartable">Failures that start a new session; others end the loop (and fail the host).</param>
    /// <param name="onFailure">Told the failure and the pause before the next session (to log it).</param>
    public static Task Start(Action<CancellationToken> run, Func<Exception, bool> isRestartable, Action<Exception, TimeSpan> onFailure,
        CancellationToken stopping)
    {
        // Stopping is not a failure: the cancelled session ends the loop.
        var pipeline = Backoff.Doubling(FirstPause, LongestPause,
            (ex, _) => !(ex is OperationCanceledException && stopping.IsCancellationRequested) && isRestartable(ex),
            args => onFailure(args.Outcome.Exception!, args.RetryDelay));
        return Task.Factory.StartNew(() =>
        {
            try
            {
                while (!stopping.IsCancellationRequested) pipeline.Execute(run, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
        }, stopping, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}
