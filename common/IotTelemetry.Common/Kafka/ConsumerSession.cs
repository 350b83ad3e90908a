using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Common.Kafka;

/// <summary>
/// One session of a consumer service: the consumer built through <see cref="KafkaClients"/> (so it logs like every other
/// client), subscribed to one topic, polled on the caller's thread until <c>stopping</c> is cancelled, and closed (leaving
/// the group at once) however the session ends. The service supplies what differs, as delegates: where assigned
/// partitions start, what to do with each record, what is due after each poll (write a batch, commit what is durable),
/// what to finish at a revocation and at an orderly stop. An exception from any of them ends the session; the service
/// runs it in a <see cref="Hosting.RestartingLoop"/>, so the next session starts from the committed offsets (and whatever
/// resume point the service proves in <see cref="Assigned"/>). Commits are the service's: only after the write they cover
/// is durable (<see cref="DurableOffsets"/>).
/// </summary>
public sealed class ConsumerSession
{
    /// <summary>The topic subscribed to.</summary>
    public required string Topic { get; init; }

    /// <summary>From <see cref="KafkaCluster.ConsumerConfig"/>, with the service's own settings on top (fetch wait, offset reset).</summary>
    public required ConsumerConfig Config { get; init; }

    /// <summary>The client's name in log lines, e.g. <c>lake consumer</c>.</summary>
    public required string Client { get; init; }

    /// <summary>How long one poll waits for a record before <see cref="AfterPoll"/> runs anyway.</summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Partitions given to this consumer, and where each starts (<see cref="Offset.Unset"/>: the committed offset). Null:
    /// every partition starts at its committed offset.
    /// </summary>
    public Func<IConsumer<byte[]?, byte[]?>, List<TopicPartition>, IEnumerable<TopicPartitionOffset>>? Assigned { get; init; }

    /// <summary>Partitions about to move to another consumer: commit what is durable of them, forget their state. Null: nothing to do.</summary>
    public Action<IConsumer<byte[]?, byte[]?>, List<TopicPartitionOffset>>? Revoked { get; init; }

    /// <summary>
    /// Once the consumer is built (its client logging), before it subscribes: checks that must pass before any partition is
    /// taken, e.g. <see cref="PartitionCounts"/>.
    /// </summary>
    public Action<IConsumer<byte[]?, byte[]?>>? Starting { get; init; }

    /// <summary>Once the consumer is subscribed, before the first poll (the service's start-up log line).</summary>
    public Action<IConsumer<byte[]?, byte[]?>>? Subscribed { get; init; }

    /// <summary>
    /// One record. A record that cannot be used (undecodable, refused) is the service's to count and step over here; an
    /// exception ends the session, which starts again from the committed offset.
    /// </summary>
    public required Action<IConsumer<byte[]?, byte[]?>, ConsumeResult<byte[]?, byte[]?>> Record { get; init; }

    /// <summary>After every poll, with or without a record: flush a batch that is due, commit what is durable, fail on a delivery error.</summary>
    public Action<IConsumer<byte[]?, byte[]?>>? AfterPoll { get; init; }

    /// <summary>At an orderly stop (not after a failure): write what is held and commit it, so nothing is left behind.</summary>
    public Action<IConsumer<byte[]?, byte[]?>>? Stopping { get; init; }

    /// <summary>Runs the session on the calling thread until <paramref name="stopping"/> is cancelled or a delegate throws.</summary>
    public void Run(ILogger log, CancellationToken stopping)
    {
        var builder = KafkaClients.Consumer<byte[]?, byte[]?>(Config, log, Client);
        if (Assigned is { } assigned) builder.SetPartitionsAssignedHandler(assigned);
        if (Revoked is { } revoked) builder.SetPartitionsRevokedHandler(revoked);
        using var consumer = builder.Build();
        try
        {
            Starting?.Invoke(consumer);
            consumer.Subscribe(Topic);
            Subscribed?.Invoke(consumer);
            while (!stopping.IsCancellationRequested)
            {
                var cr = consumer.Consume(PollTimeout);
                if (cr is not null && !cr.IsPartitionEOF) Record(consumer, cr);
                AfterPoll?.Invoke(consumer);
            }
            Stopping?.Invoke(consumer);
        }
        finally
        {
            // Leaves the group now rather than after the session timeout; a cluster that is away cannot make it fail.
            try { consumer.Close(); } catch (KafkaException) { }
        }
    }
}
