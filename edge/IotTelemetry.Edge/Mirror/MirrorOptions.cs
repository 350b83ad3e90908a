using IotTelemetry.Common.Configuration;

namespace IotTelemetry.Edge.Mirror;

/// <summary>Configuration section <c>Mirror</c>: copying edge topics to the cloud cluster.</summary>
public sealed class MirrorOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Consumer group on the edge cluster (its committed offsets show the mirror's lag).</summary>
    public string GroupId { get; set; } = "iott-mirror";

    /// <summary>Identifies this plant's mirror in the cloud records it writes; defaults to Edge:Site.</summary>
    public string? MirrorId { get; set; }

    /// <summary>
    /// How many records from the end of a cloud partition to look at, at most, for this mirror's last copy. Where other
    /// plants wrote more than this into the shared partition since, the mirror cannot tell where it stopped: it then
    /// resumes at the edge group's committed offset, or, with none, tries again rather than start over (see <see cref="ResumePoint"/>).
    /// </summary>
    public int ResumeScanLimit { get; set; } = 100_000;

    /// <summary>How often the edge consumer group's offsets are committed (after the copies they cover are acknowledged by the cloud).</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Copies the cloud producer may hold unacknowledged (<c>queue.buffering.max.messages</c>). During a cloud outage the
    /// mirror fills this queue and then waits, the edge topic holding the rest: the queue's size is the agent's memory
    /// during the outage (librdkafka's 1,000,000 default took the agent to 600-900 MiB in <c>make soak</c>; each copy held
    /// also keeps its managed message until the cloud acknowledges it, so 50,000 cost some 40 MB in the memory bench).
    /// </summary>
    public int MaxQueuedMessages { get; set; } = 5_000;

    /// <summary>The same queue's bound in KiB of records (<c>queue.buffering.max.kbytes</c>).</summary>
    public int MaxQueuedKbytes { get; set; } = 2_048;

    /// <summary>
    /// KiB of edge records the consumer fetches ahead of the copy (<c>queued.max.messages.kbytes</c>, for all partitions
    /// together); librdkafka's default is 64 MiB. One fetch of the mirror brings at most this much too (at least 1,000,000
    /// bytes, librdkafka's floor), so the queue is overshot by no more than its own size.
    /// </summary>
    public int PrefetchKbytes { get; set; } = 1_024;

    public void Validate(ConfigErrors errors)
    {
        errors.RequireRange(MaxQueuedMessages, 1_000, 10_000_000, "Mirror:MaxQueuedMessages");
        errors.RequireRange(MaxQueuedKbytes, 1_024, 2_097_151, "Mirror:MaxQueuedKbytes");
        errors.RequireRange(PrefetchKbytes, 1_024, 2_097_151, "Mirror:PrefetchKbytes");
        errors.RequireNotEmpty(GroupId, "Mirror:GroupId");
        errors.RequireRange(ResumeScanLimit, 1, 100_000_000, "Mirror:ResumeScanLimit");
        errors.RequirePositive(CommitInterval, "Mirror:CommitInterval");
    }
}
