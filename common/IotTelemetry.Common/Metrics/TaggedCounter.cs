using System.Diagnostics.Metrics;

namespace IotTelemetry.Common.Metrics;

/// <summary>A <see cref="Counter{T}"/> bound to one fixed label set, as the services count with it.</summary>
public sealed class TaggedCounter(Counter<long> counter, KeyValuePair<string, object?>[] tags)
{
    public void Increment() => counter.Add(1, tags);

    public void Add(long n) => counter.Add(n, tags);
}
