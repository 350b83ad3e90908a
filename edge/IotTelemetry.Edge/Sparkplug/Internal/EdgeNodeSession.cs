namespace IotTelemetry.Edge.Sparkplug.Internal;

/// <summary>What the host knows of one edge node since its last NBIRTH: bdSeq, the last seq, and its born devices.</summary>
internal sealed class EdgeNodeSession
{
    /// <summary>An NBIRTH was seen and no NDEATH of that birth since.</summary>
    public bool Born { get; set; }

    /// <summary>The bdSeq metric of the NBIRTH; an NDEATH with another bdSeq is a late will of an older session.</summary>
    public ulong? BdSeq { get; set; }

    /// <summary>The seq of the last message (0-255, wrapping); null before a birth.</summary>
    public ulong? Seq { get; set; }

    /// <summary>When the last rebirth request went out (Unix microseconds).</summary>
    public long? LastRebirthMicros { get; set; }

    /// <summary>The node's own metrics (key null) and each born device's (key = device id).</summary>
    public Dictionary<string, MetricTable> Devices { get; } = [];

    public MetricTable Node { get; set; } = new();

    public MetricTable? Table(string? device) => device is null ? Node : Devices.GetValueOrDefault(device);
}

/// <summary>One node's or device's metrics as its BIRTH announced them: aliases, and the last value of each sensor.</summary>
internal sealed class MetricTable
{
    public Dictionary<ulong, string> Aliases { get; } = [];

    /// <summary>Sensor -> its last value: what a death marks Bad.</summary>
    public Dictionary<string, double> LastValues { get; } = new(StringComparer.Ordinal);
}
