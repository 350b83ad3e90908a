using System.Text;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Sparkplug;
using IotTelemetry.Edge.Validation;
using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests;

/// <summary>Sparkplug B payloads encoded by Eclipse Tahu's JavaScript library (npm sparkplug-payload).</summary>
public sealed class SparkplugTests(MosquittoFixture mosquitto) : SparkplugPeers(mosquitto), IClassFixture<MosquittoFixture>
{
    [Fact]
    public async Task A_payload_encoded_by_tahu_decodes_to_its_metrics()
    {
        var bytes = await EncodeAsync("""
            {"timestamp":1795248000000,"seq":0,"metrics":[
              {"name":"Temperature","alias":1,"type":"Double","value":65.25},
              {"name":"Count","alias":2,"type":"Int32","value":-5,"timestamp":1795248000500},
              {"name":"Big","type":"UInt64","value":4000000000},
              {"name":"Ratio","type":"Float","value":0.5},
              {"name":"On","type":"Boolean","value":true},
              {"name":"Label","type":"String","value":"x"}]}
            """);
        var p = SparkplugPayload.Decode(bytes);
        Assert.Equal(1795248000000UL, p.TimestampMillis);
        Assert.Equal(["Temperature", "Count", "Big", "Ratio", "On", "Label"], p.Metrics.Select(m => m.Name));
        Assert.Equal(new double?[] { 65.25, -5, 4_000_000_000, 0.5, 1, null }, p.Metrics.Select(m => m.Value));
        Assert.Equal(2UL, p.Metrics[1].Alias);
        Assert.Equal(1795248000500UL, p.Metrics[1].TimestampMillis);
    }

    [Fact]
    public void Truncated_bytes_are_refused_with_a_reason()
    {
        var mapper = new SparkplugMapper(new SparkplugOptions(), new ValidationOptions(), "plant");
        var result = mapper.Map("spBv1.0/g/DDATA/n/d", [0x12, 0x05, 0x0a], UnixMicros.Now());
        Assert.Equal(RejectReason.BadSparkplug, result.Rejection?.Reason);
    }

    [Fact]
    public async Task The_agent_turns_birth_and_aliased_data_into_readings_and_dead_letters_an_unknown_alias()
    {
        var (agent, metrics) = StartAgent();
        await using var _ = agent;
        await metrics.WaitForAsync("iott_edge_mqtt_connected", 1);
        using var telemetry = new KafkaProbe(Edge.BootstrapServers, "telemetry", 2);
        using var deadLetters = new KafkaProbe(Edge.BootstrapServers, "telemetry.deadletter", 1);

        await MosquittoClients.PublishAsync(Broker, "spBv1.0/line1/DBIRTH/gateway-1/press-7", await EncodeAsync("""
            {"timestamp":1795248000000,"seq":1,"metrics":[
              {"name":"Hydraulics/Temperature","alias":1,"type":"Double","value":65.25},
              {"name":"Pressure","alias":2,"type":"Float","value":6.5},
              {"name":"Running","alias":3,"type":"Boolean","value":true},
              {"name":"Recipe","alias":4,"type":"String","value":"A-17"}]}
            """));
        await MosquittoClients.PublishAsync(Broker, "spBv1.0/line1/DDATA/gateway-1/press-7", await EncodeAsync("""
            {"timestamp":1795248001000,"seq":2,"metrics":[
              {"alias":1,"type":"Double","value":66.5},
              {"alias":2,"type":"Float","value":6.75,"timestamp":1795248000900}]}
            """));
        var unknown = await EncodeAsync("""{"timestamp":1795248002000,"seq":3,"metrics":[{"alias":9,"type":"Double","value":1}]}""");
        await MosquittoClients.PublishAsync(Broker, "spBv1.0/line1/DDATA/gateway-1/press-7", unknown);

        await telemetry.WaitForCountAsync(5);
        var readings = telemetry.Records.Select(r => ReadingCodec.Decode(r.Message.Value))
            .OrderBy(r => r.TimestampMicros).ThenBy(r => r.Sensor).ToList();
        Assert.Equal(
            [
                ("Hydraulics.Temperature", 65.25, 1795248000000000L), ("Pressure", 6.5, 1795248000000000L), ("Running", 1.0, 1795248000000000L),
                ("Pressure", 6.75, 1795248000900000L), ("Hydraulics.Temperature", 66.5, 1795248001000000L),
            ],
            readings.Select(r => (r.Sensor, r.Value, r.TimestampMicros)));
        Assert.All(readings, r => Assert.Equal(("plant-spb", "press-7"), (r.Site, r.Asset)));

        await deadLetters.WaitForCountAsync(1);
        var dead = Assert.Single(deadLetters.Records);
        Assert.Equal(RejectReason.UnknownAlias, Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(DeadLetterHeaders.Reason)));
        Assert.Equal(unknown, dead.Message.Value);
    }
}
