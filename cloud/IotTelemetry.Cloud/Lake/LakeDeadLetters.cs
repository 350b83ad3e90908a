using System.Globalization;
using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Lake;

/// <summary>
/// The sink's dead-letter producer. A record goes out with its original key and value and the headers the edge
/// uses (<see cref="DeadLetterHeaders"/>: reason, detail, source); <see cref="WaitForAcknowledgements"/> runs
/// before a batch is recorded and committed, so the sink never moves past a record whose dead letter Kafka lost.
/// </summary>
public sealed class LakeDeadLetters : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly string _topic;
    private readonly CloudMetrics _metrics;
    private readonly ILogger _log;
    private int _pending;
    private string? _failure;

    public LakeDeadLetters(KafkaCluster cluster, string topic, CloudMetrics metrics, ILogger log)
    {
        _topic = topic;
        _metrics = metrics;
        _log = log;
        _producer = KafkaClients.Producer<byte[]?, byte[]?>(cluster.ProducerConfig("iott-lake-deadletter"), log, "lake dead-letter producer").Build();
    }

    public void Send(ConsumeResult<byte[]?, byte[]?> record, LakeRejection rejection)
    {
        var source = string.Create(CultureInfo.InvariantCulture, $"kafka:{record.Topic}[{record.Partition.Value}]@{record.Offset.Value}");
        var message = new Message<byte[]?, byte[]?>
        {
            Key = record.Message.Key,
            Value = record.Message.Value,
            Headers = new Headers
            {
                { DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(rejection.Reason) },
                { DeadLetterHeaders.Detail, Encoding.UTF8.GetBytes(rejection.Detail) },
                { DeadLetterHeaders.Source, Encoding.UTF8.GetBytes(source) },
            },
        };
        Interlocked.Increment(ref _pending);
        _producer.Produce(_topic, message, report =>
        {
            if (report.Error.IsError) _failure ??= report.Error.Reason;
            Interlocked.Decrement(ref _pending);
        });
        _metrics.LakeDeadLetters(rejection.Reason).Increment();
        LogMessages.SinkDeadLetter(_log, record.Topic, record.Partition.Value, record.Offset.Value, _topic, rejection.Reason, rejection.Detail);
    }

    /// <summary>Returns once Kafka acknowledged every dead letter sent; throws when one was lost or the wait timed out.</summary>
    public void WaitForAcknowledgements(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _pending) == 0 && _failure is null) return;
        var left = _producer.Flush(timeout);
        cancellationToken.ThrowIfCancellationRequested();
        if (_failure is { } failure)
        {
            _failure = null;
            throw new InvalidOperationException($"Expected Kafka to acknowledge every dead letter on {_topic}, but one failed: {failure}");
        }
        if (left > 0 || Volatile.Read(ref _pending) > 0)
            throw new InvalidOperationException($"Expected Kafka to acknowledge every dead letter on {_topic} within {timeout.TotalSeconds:0} s, {left} still waiting");
    }

    public void Dispose()
    {
        try { _producer.Flush(TimeSpan.FromSeconds(5)); }
        catch (KafkaException) { }
        _producer.Dispose();
    }
}
