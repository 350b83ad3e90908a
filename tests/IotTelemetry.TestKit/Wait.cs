using System.Diagnostics;

namespace IotTelemetry.TestKit;

/// <summary>Waiting for a condition with a deadline: the only synchronization tests may use.</summary>
public static class Wait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test with <paramref name="what"/> when the deadline passes.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
        => await UntilAsync(() => Task.FromResult(condition()), what, timeout);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            if (await condition()) return;
            if (deadline.Elapsed > limit)
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for: {what}");
            await Task.Delay(pause);
            if (pause < TimeSpan.FromMilliseconds(100)) pause *= 2;
        }
    }

    /// <summary>Awaits <paramref name="task"/> or fails with <paramref name="what"/> when the deadline passes.</summary>
    public static async Task<T> ForAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var winner = await Task.WhenAny(task, Task.Delay(limit));
        if (winner != task) throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for: {what}");
        return await task;
    }

    public static async Task ForAsync(Task task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var winner = await Task.WhenAny(task, Task.Delay(limit));
        if (winner != task) throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for: {what}");
        await task;
    }
}
