namespace IotTelemetry.Common.Metrics;

/// <summary>A monotonically increasing count, safe to bump from any thread.</summary>
public sealed class Counter(string name, string help, string labels)
{
    private long _value;

    public string Name { get; } = name;
    public string Help { get; } = help;

    /// <summary>Prometheus label set without braces, e.g. <c>reason="not_json"</c>; empty for none.</summary>
    public string Labels { get; } = labels;

    public long Value => Interlocked.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Add(long n) => Interlocked.Add(ref _value, n);
}
