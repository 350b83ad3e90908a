using Confluent.Kafka;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Edge.Vendors;

/// <summary>
/// Curates the edge telemetry topic into one vendor's edge topic, source partition p to vendor partition p.
/// Each curated record carries a <see cref="ResumeMark"/>; after a restart or a session failure the curator
/// reads the last record of each vendor partition and continues right after it (replaying the offsets its
/// open windows need, producing nothing the partition already has), so nothing is lost or doubled without
/// Kafka transactions. Consumer-group offsets are committed for lag reporting and for partitions that have
/// no curated record yet.
/// </summary>
public sealed class VendorCurator
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly KafkaCluster _edge;
    private readonly VendorPolicy _policy;
    private readonly string _sourceTopic;
    private readonly TimeSpan _commitInterval;
    private readonly VendorMetrics _metrics;
    private readonly ILogger _log;
    private readonly PolicyJournal _journal;

    public VendorCurator(KafkaCluster edge, VendorPolicy policy, string sourceTopic, TimeSpan commitInterval, VendorMetrics metrics, ILogger log)
    {
        _edge = edge;
        _policy = policy;
        _sourceTopic = sourceTopic;
        _commitInterval = commitInterval;
        _metrics = metrics;
        _log = log;
        _journal = new PolicyJournal(edge, policy.PolicyTopicName);
    }

    public VendorPolicy Policy => _policy;

    /// <summary>Runs until cancelled on its own thread, starting a new session (resuming from the vendor topic) after any failure.</summary>
    public Task Start(CancellationToken ct) =>
        RestartingLoop.Start(RunSession, ex => ex is not OperationCanceledException,
            (ex, pause) =>
            {
                _metrics.Restarts(_policy.Name).Increment();
                VendorLog.SessionFailed(_log, _policy.Name, ex.Message, pause.TotalSeconds);
            }, ct);

    private void RunSession(CancellationToken ct)
    {
        _journal.Record(_policy, Timeout, ct);
        var curators = new Dictionary<int, PartitionCurator>();
        var next = new Dictionary<int, long>(); // partition -> the offset after the last record curated
        var offsets = new DurableOffsets();
        var continuity = new OffsetContinuity();
        var curated = _metrics.Curated(_policy.Name);
        var late = _metrics.Late(_policy.Name);
        var target = _policy.EdgeTopic;

        using var link = new LinkProducer(_edge.ProducerConfig("iott-vendor-" + _policy.Name), _log, "vendor producer", "vendor topic producer");
        var producer = link.Producer;
        var consumerConfig = _edge.ConsumerConfig(_policy.ConsumerGroup, "iott-vendor-" + _policy.Name);
        consumerConfig.FetchWaitMaxMs = 10;
        var lastCommit = DateTime.UtcNow;
        new ConsumerSession
        {
            Topic = _sourceTopic,
            Config = consumerConfig,
            Client = "vendor consumer",
            Assigned = (c, partitions) => partitions.Select(tp =>
            {
                var (start, curator) = Resume(c, tp, ct);
                curators[tp.Partition.Value] = curator;
                next.Remove(tp.Partition.Value);
                continuity.Expect(tp.Partition.Value, start.Offset.Value);
                return start;
            }),
            Revoked = (c, partitions) =>
            {
                Commit(c, producer, curators, next, offsets);
                offsets.Forget(partitions);
                foreach (var tpo in partitions) { curators.Remove(tpo.Partition.Value); next.Remove(tpo.Partition.Value); continuity.Forget(tpo.Partition.Value); }
            },
            Starting = _ => CheckPartitionCounts(producer),
            Subscribed = _ => VendorLog.Started(_log, _policy.Name, _sourceTopic, target, _policy.Version),
            Record = (_, cr) =>
            {
                link.ThrowIfFailed();
                if (!curators.TryGetValue(cr.Partition.Value, out var curator)) return;
                if (continuity.Received(cr.Partition.Value, cr.Offset.Value) is { } missingFrom) ReportMissing(cr, missingFrom);
                var lateBefore = curator.LateReadings;
                curator.Process(cr.Offset.Value, Decode(cr), (record, mark) =>
                    link.Produce(new TopicPartition(target, cr.Partition), CuratedMessage(record, mark), curated.Increment, ct));
                if (curator.LateReadings != lateBefore) late.Add(curator.LateReadings - lateBefore);
                next[cr.Partition.Value] = cr.Offset.Value + 1;
            },
            AfterPoll = c =>
            {
                link.ThrowIfFailed();
                if (DateTime.UtcNow - lastCommit < _commitInterval) return;
                Commit(c, producer, curators, next, offsets);
                lastCommit = DateTime.UtcNow;
            },
            Stopping = c => Commit(c, producer, curators, next, offsets),
        }.Run(_log, ct);
    }

    private void ReportMissing(ConsumeResult<byte[]?, byte[]?> cr, long from)
    {
        var count = cr.Offset.Value - from;
        _metrics.Missing(_policy.Name).Add(count);
        VendorLog.Missing(_log, _policy.Name, _sourceTopic, cr.Partition.Value, from, cr.Offset.Value - 1, count, cr.Offset.Value);
    }

    private Reading? Decode(ConsumeResult<byte[]?, byte[]?> cr)
    {
        try
        {
            return cr.Message.Value is null ? throw new ReadingFormatException("Expected a reading but the value is null") : ReadingCodec.Decode(cr.Message.Value);
        }
        catch (ReadingFormatException ex)
        {
            VendorLog.NotAReading(_log, _policy.Name, _sourceTopic, cr.Partition.Value, cr.Offset.Value, ex.Message);
            return null;
        }
    }

    private Message<byte[]?, byte[]?> CuratedMessage(CuratedRecord record, ResumeMark mark) => new()
    {
        Key = record.Key,
        Value = record.Value,
        Headers = VendorHeaders.Create(_policy.Name, mark),
        Timestamp = new Timestamp(record.TimestampMicros / 1000, TimestampType.CreateTime),
    };

    /// <summary>Commits, once every curated record so far is acknowledged, the offsets from which a replay rebuilds the state.</summary>
    private void Commit(IConsumer<byte[]?, byte[]?> consumer, IProducer<byte[]?, byte[]?> producer, Dictionary<int, PartitionCurator> curators,
        Dictionary<int, long> next, DurableOffsets offsets)
    {
        if (next.Count == 0 || producer.Flush(Timeout) > 0) return;
        foreach (var (partition, offset) in next)
            if (curators.TryGetValue(partition, out var c) && c.CommittableOffset(offset) is { } commit)
                offsets.Durable(new TopicPartition(_sourceTopic, partition), commit);
        next.Clear();
        try { offsets.Commit(consumer); }
        catch (KafkaException ex) { VendorLog.CommitFailed(_log, _policy.Name, ex.Error.Reason); }
    }

    private (TopicPartitionOffset Start, PartitionCurator Curator) Resume(IConsumer<byte[]?, byte[]?> consumer, TopicPartition tp, CancellationToken ct)
    {
        var partition = tp.Partition.Value;
        var mark = VendorTopicReader.LastMark(_edge, _policy.EdgeTopic, partition, _policy.Name, Timeout, ct);
        if (mark is null)
        {
            var committed = consumer.Committed([tp], Timeout);
            var offset = committed.Count > 0 ? committed[0].Offset : Offset.Unset;
            VendorLog.Resuming(_log, _policy.Name, _sourceTopic, partition, offset.Value,
                offset == Offset.Unset ? "the beginning (nothing curated yet)" : "the group's committed offset (nothing curated yet)");
            return (new TopicPartitionOffset(tp, offset == Offset.Unset ? Offset.Beginning : offset), new PartitionCurator(_policy, null, null));
        }
        if (mark.PolicyVersion == _policy.Version && mark.Sequence == 0)
        {
            VendorLog.Resuming(_log, _policy.Name, _sourceTopic, partition, mark.ReplayFrom, $"replay after the last curated record (source offset {mark.Trigger})");
            return (new TopicPartitionOffset(tp, mark.ReplayFrom), new PartitionCurator(_policy, mark, null));
        }
        var previous = mark.PolicyVersion == _policy.Version ? _policy : _journal.Find(mark.PolicyVersion, Timeout, ct);
        if (previous is null)
        {
            VendorLog.PreviousPolicyMissing(_log, _policy.Name, mark.PolicyVersion, _policy.PolicyTopicName, mark.Trigger + 1);
            return (new TopicPartitionOffset(tp, mark.Trigger + 1), new PartitionCurator(_policy, mark, null));
        }
        VendorLog.Resuming(_log, _policy.Name, _sourceTopic, partition, mark.ReplayFrom,
            $"policy changed from {mark.PolicyVersion} to {_policy.Version}: the old policy finishes up to source offset {mark.Trigger}");
        return (new TopicPartitionOffset(tp, mark.ReplayFrom), new PartitionCurator(_policy, mark, previous));
    }

    private void CheckPartitionCounts(IProducer<byte[]?, byte[]?> producer)
    {
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        PartitionCounts.Require(new(admin, _sourceTopic, "edge topic"), new(admin, _policy.EdgeTopic, "vendor topic"), "curation", Timeout);
    }
}
