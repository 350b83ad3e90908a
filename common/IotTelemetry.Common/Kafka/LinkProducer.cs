using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Common.Kafka;

/// <summary>
/// The producer of a session that passes records on to another topic (the mirror, vendor curation): built through
/// <see cref="KafkaClients"/>; a full local queue (the target slow or away) makes <see cref="Produce"/> wait, because the
/// source topic holds the data meanwhile; the first failed delivery or fatal error is kept and thrown by
/// <see cref="ThrowIfFailed"/> on the session's thread, which ends the session (resumed from the target afterwards).
/// </summary>
public sealed class LinkProducer : IDisposable
{
    private readonly object _gate = new();
    private readonly string _name;
    private Exception? _failure;
    private long _inFlight;

    /// <param name="name">What failed, in the session's failure message, e.g. <c>cloud producer</c>.</param>
    public LinkProducer(ProducerConfig config, ILogger log, string client, string name)
    {
        _name = name;
        Producer = KafkaClients.Producer<byte[]?, byte[]?>(config, log, client, e => Fail(new KafkaException(e))).Build();
    }

    public IProducer<byte[]?, byte[]?> Producer { get; }

    /// <summary>Records handed to the producer whose delivery has not been reported yet (what the link holds in memory).</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>
    /// Hands <paramref name="message"/> to the producer, waiting while its queue is full; <paramref name="delivered"/> runs
    /// once the target acknowledged it (on the producer's thread), a refusal becomes the session's failure.
    /// </summary>
    public void Produce(TopicPartition target, Message<byte[]?, byte[]?> message, Action delivered, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                Producer.Produce(target, message, report =>
                {
                    Interlocked.Decrement(ref _inFlight);
                    if (report.Error.IsError) Fail(new KafkaException(report.Error));
                    else delivered();
                });
                Interlocked.Increment(ref _inFlight);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                ct.ThrowIfCancellationRequested();
                Producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> with the first failure, if any.</summary>
    public void ThrowIfFailed()
    {
        lock (_gate) if (_failure is not null) throw new InvalidOperationException($"{_name} failed: {_failure.Message}", _failure);
    }

    private void Fail(Exception failure)
    {
        lock (_gate) _failure ??= failure;
    }

    public void Dispose() => Producer.Dispose();
}
