using System.Text;
using Confluent.Kafka;
using IotTelemetry.Anomaly;
using IotTelemetry.Common.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>
/// Puts Acknowledged events on the <c>alerts</c> topic (key = condition, like the detector's events), so other
/// dashboards show them and webhook targets that ask for them get them. The journal stays the record: a
/// Kafka outage delays this copy, it does not lose the acknowledgement.
/// </summary>
public sealed class AckPublisher(IOptions<CloudTopicOptions> topics, KafkaCluster cluster, ILogger<AckPublisher> log) : IDisposable
{
    private readonly Lazy<IProducer<byte[], byte[]>> _producer = new(() =>
        KafkaClients.Producer<byte[], byte[]>(cluster.ProducerConfig("iott-dashboard"), log, "dashboard producer").Build());

    public void Publish(AlertEvent e)
    {
        try
        {
            _producer.Value.Produce(topics.Value.Alerts, new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(e.ConditionKey),
                Value = AlertJson.SerializeToUtf8(e),
                Timestamp = new Timestamp(e.EventMicros / 1000, TimestampType.CreateTime),
            });
        }
        catch (KafkaException ex)
        {
            DashboardLog.AckNotPublished(log, e.AlertId, ex.Error.Reason);
        }
    }

    public void Dispose()
    {
        if (!_producer.IsValueCreated) return;
        try { _producer.Value.Flush(TimeSpan.FromSeconds(5)); }
        catch (KafkaException) { }
        _producer.Value.Dispose();
    }
}
