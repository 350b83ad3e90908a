using IotTelemetry.Common.Readings;

namespace IotTelemetry.Edge.Vendors;

/// <summary>
/// Curation of one source partition after a (re)start. Records the vendor partition already holds (up to
/// <c>resumeAfter</c>) are recomputed but not produced again. When the policy changed since the last record,
/// the old policy (<c>previous</c>) finishes the offsets it had started: it replays up to the last record's
/// offset, then its open windows are flushed, and the current policy takes over from the next offset.
/// </summary>
public sealed class PartitionCurator
{
    private readonly CurationState _current;
    private readonly string _version;
    private readonly ResumeMark? _resumeAfter;
    private CurationState? _previous;
    private readonly string? _previousVersion;

    /// <param name="policy">The policy in force now.</param>
    /// <param name="resumeAfter">The last record in the vendor partition, if any.</param>
    /// <param name="previous">The policy of that record when it differs from <paramref name="policy"/> (or a flush was under way).</param>
    public PartitionCurator(VendorPolicy policy, ResumeMark? resumeAfter, VendorPolicy? previous)
    {
        _current = new CurationState(policy);
        _version = policy.Version;
        _resumeAfter = resumeAfter;
        if (previous is not null && resumeAfter is not null)
        {
            _previous = new CurationState(previous);
            _previousVersion = resumeAfter.PolicyVersion;
        }
    }

    public long LateReadings => _current.LateReadings + (_previous?.LateReadings ?? 0);

    /// <summary>True while the previous policy is still finishing.</summary>
    public bool Switching => _previous is not null;

    /// <summary>Processes the record at <paramref name="offset"/> (null when it is not a reading); <paramref name="emit"/> gets what to produce.</summary>
    public void Process(long offset, Reading? reading, Action<CuratedRecord, ResumeMark> emit)
    {
        if (_previous is not null)
        {
            var switchAt = _resumeAfter!.Trigger;
            if (offset <= switchAt)
            {
                var old = reading is null ? null : _previous.Process(offset, reading);
                if (old is not null) Emit(old, new ResumeMark(offset, 0, _previous.ReplayFrom(offset + 1), _previousVersion!), emit);
                return;
            }
            var replayFrom = _resumeAfter.ReplayFrom;
            var sequence = 1;
            foreach (var flushed in _previous.FlushAll())
                Emit(flushed, new ResumeMark(switchAt, sequence++, replayFrom, _previousVersion!), emit);
            _previous = null;
        }
        var record = reading is null ? null : _current.Process(offset, reading);
        if (record is not null) Emit(record, new ResumeMark(offset, 0, _current.ReplayFrom(offset + 1), _version), emit);
    }

    /// <summary>The offset a consumer group may commit after processing everything before <paramref name="next"/>; null while switching.</summary>
    public long? CommittableOffset(long next) => _previous is null ? _current.ReplayFrom(next) : null;

    private void Emit(CuratedRecord record, ResumeMark mark, Action<CuratedRecord, ResumeMark> emit)
    {
        if (_resumeAfter is not null && _resumeAfter.Covers(mark.Trigger, mark.Sequence)) return;
        emit(record, mark);
    }
}
