using Polly;
using Polly.Retry;

namespace IotTelemetry.Common.Hosting;

/// <summary>
/// The one retry shape of the services: try again after a pause that starts at <c>first</c> and doubles up to
/// <c>longest</c> (no jitter: one client per target), as often as it takes, until the condition says stop or the
/// caller's cancellation token ends the wait. Polly retry pipelines; the callers add what to retry and what to tell.
/// </summary>
public static class Backoff
{
    /// <summary>Retries an action while <paramref name="retry"/> says so of its exception.</summary>
    public static ResiliencePipeline Doubling(TimeSpan first, TimeSpan longest, Func<Exception, ResilienceContext, bool> retry,
        Action<OnRetryArguments<object>> onRetry)
    {
        var options = new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && retry(ex, args.Context)),
            OnRetry = args =>
            {
                onRetry(args);
                return default;
            },
        };
        Shape(options, first, longest);
        return new ResiliencePipelineBuilder().AddRetry(options).Build();
    }

    /// <summary>Retries a call while <paramref name="retry"/> says so of its result.</summary>
    public static ResiliencePipeline<T> Doubling<T>(TimeSpan first, TimeSpan longest, Func<T, bool> retry, Action<OnRetryArguments<T>> onRetry)
    {
        var options = new RetryStrategyOptions<T>
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && retry(args.Outcome.Result!)),
            OnRetry = args =>
            {
                onRetry(args);
                return default;
            },
        };
        Shape(options, first, longest);
        return new ResiliencePipelineBuilder<T>().AddRetry(options).Build();
    }

    private static void Shape<T>(RetryStrategyOptions<T> options, TimeSpan first, TimeSpan longest)
    {
        options.MaxRetryAttempts = int.MaxValue;
        options.BackoffType = DelayBackoffType.Exponential;
        options.UseJitter = false;
        options.Delay = first;
        options.MaxDelay = longest;
    }
}
