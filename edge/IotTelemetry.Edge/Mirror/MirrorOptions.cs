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

    /// <summary>How many records from the end of a cloud partition to look at, at most, for this mirror's last copy.</summary>
    public int ResumeScanLimit { get; set; } = 100_000;

    /// <summary>How often the edge consumer group's offsets are committed (after the copies they cover are acknowledged by the cloud).</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    public void Validate(ConfigErrors errors)
    {
        errors.RequireNotEmpty(GroupId, "Mirror:GroupId");
        errors.RequireRange(ResumeScanLimit, 1, 100_000_000, "Mirror:ResumeScanLimit");
        errors.RequirePositive(CommitInterval, "Mirror:CommitInterval");
    }
}
