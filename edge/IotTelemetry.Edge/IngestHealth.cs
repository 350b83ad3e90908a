using System.Collections.Concurrent;

namespace IotTelemetry.Edge;

/// <summary>
/// Inputs that are configured but not flowing (an OPC UA node the server does not know, say): /health reports the agent
/// as degraded and names each one until it recovers.
/// </summary>
public sealed class IngestHealth
{
    private readonly ConcurrentDictionary<string, string> _problems = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="input"/> is not flowing, and why.</summary>
    public void Report(string input, string reason) => _problems[input] = reason;

    /// <summary>Records that <paramref name="input"/> flows again.</summary>
    public void Clear(string input) => _problems.TryRemove(input, out _);

    public bool IsProblem(string input) => _problems.ContainsKey(input);

    /// <summary>One line per problem, sorted: "opcua opc.tcp://host:4840 ns=1;s=Pump1.Flow: BadNodeIdUnknown".</summary>
    public IReadOnlyCollection<string> Problems => [.. _problems.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}")];
}
