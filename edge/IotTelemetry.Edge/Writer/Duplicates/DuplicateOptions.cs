using IotTelemetry.Common.Configuration;

namespace IotTelemetry.Edge.Writer.Duplicates;

/// <summary>
/// Section <c>Duplicates</c>: how many recent writes the agent remembers so that a message the broker redelivers (after
/// a crash between the Kafka acknowledgement and the PUBACK, or a lost connection) is acknowledged without being
/// written again. The window is a count, not a time: what can come again is what was in flight, i.e. the last writes.
/// </summary>
public sealed class DuplicateOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Readings remembered (in memory, and read back from the tail of the edge telemetry topic at start-up, the same
    /// share from each partition). What can come again is at most <c>Mqtt:ReceiveMaximum</c> (1,000) messages, but one
    /// of them may have been held unacknowledged while an agent drained a backlog past it, so the window is kept deep:
    /// 200,000 cost some 24 MB of RSS, 50,000 some 6 MB (README: Memory of the edge agent, and make soak's findings).
    /// </summary>
    public int Window { get; set; } = 200_000;

    /// <summary>Dead letters remembered, likewise, from the tail of the edge dead-letter topic.</summary>
    public int DeadLetterWindow { get; set; } = 10_000;

    /// <summary>How long the read-back at start-up may get nothing from the edge cluster before it starts again.</summary>
    public TimeSpan ReadBackTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public void Validate(ConfigErrors errors)
    {
        errors.RequireRange(Window, 1, 50_000_000, "Duplicates:Window");
        errors.RequireRange(DeadLetterWindow, 1, 10_000_000, "Duplicates:DeadLetterWindow");
        errors.RequirePositive(ReadBackTimeout, "Duplicates:ReadBackTimeout");
    }
}
