namespace IotTelemetry.Edge.Vendors;

/// <summary>
/// Stamped on each curated record: produced while processing source offset <paramref name="Trigger"/>, as the
/// <paramref name="Sequence"/>-th record of that offset (0 normally; 1.. for windows flushed at a policy change);
/// a replay from <paramref name="ReplayFrom"/> rebuilds the windows open at that moment.
/// </summary>
public sealed record ResumeMark(long Trigger, int Sequence, long ReplayFrom, string PolicyVersion)
{
    /// <summary>True when a record with (trigger, sequence) was produced no later than this one.</summary>
    public bool Covers(long trigger, int sequence) => trigger < Trigger || (trigger == Trigger && sequence <= Sequence);
}
