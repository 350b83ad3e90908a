using Confluent.Kafka;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Edge.Mirror;

/// <summary>
/// Copies one edge topic to one cloud topic, partition p to partition p, in order. Each copy carries the
/// source offset (<see cref="MirrorHeaders"/>); after a restart or a session failure the link resumes from
/// the last copy found in the cloud partition, so it neither skips nor repeats a record without relying on
/// Kafka transactions. Edge consumer-group offsets are committed only after the cloud acknowledged the copies.
/// </summary>
public sealed class MirrorLink
{
    private readonly KafkaCluster _edge;
    private readonly KafkaCluster _cloud;
    private readonly MirrorOptions _options;
    private readonly ILogger _log;
    private readonly EdgeMetrics _metrics;
    private readonly byte[] _linkId;

    /// <summary>How long reading the cloud for the resume point may get no answer before the session tries again.</summary>
    private static readonly TimeSpan ResumeSilence = TimeSpan.FromSeconds(30);

    public MirrorLink(KafkaCluster edge, KafkaCluster cloud, string sourceTopic, string targetTopic, string mirrorId,
        MirrorOptions options, EdgeMetrics metrics, ILogger log)
    {
        _edge = edge;
        _cloud = cloud;
        SourceTopic = sourceTopic;
        TargetTopic = targetTopic;
        _options = options;
        _metrics = metrics;
        _log = log;
        _linkId = MirrorHeaders.LinkId(mirrorId, sourceTopic);
        metrics.Registry.Gauge("iott_edge_mirror_in_flight",
            "Records the mirror handed to the cloud producer that the cloud has not acknowledged yet (held in memory, at most Mirror:MaxQueuedMessages)",
            () => Volatile.Read(ref _link)?.InFlight ?? 0, ("topic", sourceTopic));
    }

    private LinkProducer? _link; // the current session's, for the in-flight gauge

    public string SourceTopic { get; }
    public string TargetTopic { get; }

    /// <summary>Runs until cancelled on its own thread, starting a new session (resuming from the cloud) after any failure.</summary>
    public Task Start(CancellationToken ct) =>
        RestartingLoop.Start(RunSession, ex => ex is not OperationCanceledException,
            (ex, pause) =>
            {
                _metrics.MirrorRestarts.Increment();
                LogMessages.MirrorSessionFailed(_log, SourceTopic, TargetTopic, ex.Message, pause.TotalSeconds);
            }, ct);

    private void RunSession(CancellationToken ct)
    {
        var offsets = new DurableOffsets(); // edge offsets after the copies the cloud acknowledged
        var continuity = new OffsetContinuity();
        var producerConfig = _cloud.ProducerConfig("iott-mirror-" + SourceTopic);
        producerConfig.QueueBufferingMaxMessages = _options.MaxQueuedMessages; // the agent's memory during a cloud outage
        producerConfig.QueueBufferingMaxKbytes = _options.MaxQueuedKbytes;
        using var link = new LinkProducer(producerConfig, _log, "mirror producer", "cloud producer");
        Volatile.Write(ref _link, link);
        var producer = link.Producer;

        var consumerConfig = _edge.ConsumerConfig(_options.GroupId, "iott-mirror-" + SourceTopic);
        consumerConfig.FetchWaitMaxMs = 10;
        consumerConfig.QueuedMinMessages = 10_000;
        consumerConfig.QueuedMaxMessagesKbytes = _options.PrefetchKbytes;
        consumerConfig.FetchMaxBytes = Math.Min(consumerConfig.FetchMaxBytes ?? int.MaxValue, Math.Max(1_000_000, _options.PrefetchKbytes * 1024));
        var lastCommit = DateTime.UtcNow;
        new ConsumerSession
        {
            Topic = SourceTopic,
            Config = consumerConfig,
            Client = "mirror consumer",
            Assigned = (c, partitions) =>
            {
                AwaitOutstandingCopies(producer, ct);
                return partitions.Select(tp =>
                {
                    var start = ResumeOffset(c, tp, ct);
                    continuity.Expect(tp.Partition.Value, start.Offset.Value);
                    return start;
                }).ToList();
            },
            Revoked = (c, partitions) =>
            {
                producer.Flush(TimeSpan.FromSeconds(30));
                CommitDelivered(c, offsets);
                offsets.Forget(partitions);
                foreach (var tpo in partitions) continuity.Forget(tpo.Partition.Value);
            },
            Starting = _ => CheckPartitionCounts(producer),
            Subscribed = _ => LogMessages.MirrorStarted(_log, SourceTopic, _edge.BootstrapServers, TargetTopic, _cloud.BootstrapServers),
            Record = (_, cr) =>
            {
                link.ThrowIfFailed();
                if (continuity.Received(cr.Partition.Value, cr.Offset.Value) is { } missingFrom) ReportMissing(cr, missingFrom);
                Copy(link, cr, offsets, ct);
            },
            AfterPoll = c =>
            {
                link.ThrowIfFailed();
                if (DateTime.UtcNow - lastCommit < _options.CommitInterval) return;
                CommitDelivered(c, offsets);
                lastCommit = DateTime.UtcNow;
            },
            Stopping = c =>
            {
                producer.Flush(TimeSpan.FromSeconds(30));
                CommitDelivered(c, offsets);
            },
        }.Run(_log, ct);
    }

    private void Copy(LinkProducer link, ConsumeResult<byte[]?, byte[]?> cr, DurableOffsets delivered, CancellationToken ct)
    {
        var headers = new Headers();
        if (cr.Message.Headers is not null)
            foreach (var h in cr.Message.Headers)
                if (h.Key is not MirrorHeaders.Link and not MirrorHeaders.SourceOffset) headers.Add(h.Key, h.GetValueBytes());
        MirrorHeaders.Add(headers, _linkId, cr.Offset.Value);
        var message = new Message<byte[]?, byte[]?>
        {
            Key = cr.Message.Key,
            Value = cr.Message.Value,
            Headers = headers,
            Timestamp = new Timestamp(cr.Message.Timestamp.UnixTimestampMs, TimestampType.CreateTime),
        };
        var source = cr.TopicPartition;
        var next = cr.Offset.Value + 1;
        link.Produce(new TopicPartition(TargetTopic, cr.Partition), message, () =>
        {
            delivered.Durable(source, next);
            _metrics.MirroredRecords.Increment();
        }, ct);
    }

    private void ReportMissing(ConsumeResult<byte[]?, byte[]?> cr, long from)
    {
        var count = cr.Offset.Value - from;
        _metrics.MirrorMissing.Add(count);
        LogMessages.MirrorMissing(_log, SourceTopic, cr.Partition.Value, from, cr.Offset.Value - 1, count, cr.Offset.Value);
    }

    private void CommitDelivered(IConsumer<byte[]?, byte[]?> consumer, DurableOffsets delivered)
    {
        try { delivered.Commit(consumer); }
        catch (KafkaException ex) { LogMessages.MirrorCommitFailed(_log, SourceTopic, ex.Error.Reason); }
    }

    /// <summary>
    /// Where partition <paramref name="tp"/> resumes, from a proof only: right after this link's last copy in the cloud,
    /// or, where the cloud partition proves nothing was copied yet, the edge group's committed offset (else the
    /// beginning). When the cloud cannot show either (our copies deleted by its retention, or further back than
    /// <see cref="MirrorOptions.ResumeScanLimit"/>) the committed offset is a lower bound (commits follow the cloud's
    /// acknowledgements) and is used with a warning; without one the session fails and tries again with backoff,
    /// never starting over from the beginning of a partition that may hold our copies.
    /// </summary>
    private TopicPartitionOffset ResumeOffset(IConsumer<byte[]?, byte[]?> consumer, TopicPartition tp, CancellationToken ct)
    {
        var partition = tp.Partition.Value;
        var search = ResumePoint.Find(_cloud, TargetTopic, partition, _linkId, _options.ResumeScanLimit, ResumeSilence, ct);
        if (search.Finding == ResumeFinding.LastCopy)
        {
            LogMessages.MirrorResuming(_log, SourceTopic, partition, search.LastSourceOffset + 1, "the last copy found in the cloud");
            return new TopicPartitionOffset(tp, new Offset(search.LastSourceOffset + 1));
        }
        var committedOffsets = consumer.Committed([tp], ResumeSilence);
        var committed = committedOffsets.Count > 0 ? committedOffsets[0].Offset : Offset.Unset;
        if (search.Finding == ResumeFinding.NeverCopied)
        {
            LogMessages.MirrorResuming(_log, SourceTopic, partition, committed.Value,
                committed == Offset.Unset ? "the beginning (nothing copied yet)" : "the edge group's committed offset");
            return new TopicPartitionOffset(tp, committed == Offset.Unset ? Offset.Beginning : committed);
        }
        var why = search.Finding == ResumeFinding.OlderRecordsDeleted
            ? "older records were deleted by the cloud cluster"
            : $"older records not read: Mirror:ResumeScanLimit is {_options.ResumeScanLimit}";
        if (committed == Offset.Unset)
        {
            LogMessages.MirrorResumeUnproven(_log, SourceTopic, partition, TargetTopic, search.Low, search.High - 1, search.Scanned, why);
            throw new InvalidOperationException($"cannot tell where to resume {SourceTopic}[{partition}] ({why})");
        }
        LogMessages.MirrorResumeFromCommit(_log, SourceTopic, partition, TargetTopic, search.Low, search.High - 1, search.Scanned, why, committed.Value);
        return new TopicPartitionOffset(tp, committed);
    }

    /// <summary>
    /// Waits until the cloud acknowledged (or failed) every copy this session produced, so that a resume point read
    /// from the cloud afterwards sees them all: a copy still in flight would otherwise be delivered and copied again.
    /// </summary>
    private static void AwaitOutstandingCopies(IProducer<byte[]?, byte[]?> producer, CancellationToken ct)
    {
        while (producer.Flush(TimeSpan.FromSeconds(5)) > 0) ct.ThrowIfCancellationRequested();
    }

    private void CheckPartitionCounts(IProducer<byte[]?, byte[]?> producer)
    {
        using var cloudAdmin = new DependentAdminClientBuilder(producer.Handle).Build();
        var edgeConfig = new AdminClientConfig();
        _edge.ApplyTo(edgeConfig, "iott-mirror-admin");
        using var edgeAdmin = KafkaClients.Admin(edgeConfig, _log, "mirror admin");
        PartitionCounts.Require(new(edgeAdmin, SourceTopic, "edge topic"), new(cloudAdmin, TargetTopic, "cloud topic"), "the mirror", TimeSpan.FromSeconds(30));
    }
}
