using System.Text;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Edge.Validation;
using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests.Input;

/// <summary>
/// Payloads that used to stop the agent or slip past validation, published at QoS 1 through mosquitto to the real agent:
/// each is dead-lettered once with its reason, the agent keeps running, and after a kill and restart the broker
/// redelivers none of them (they were acknowledged after their dead letter was durable).
/// </summary>
public sealed class HostilePayloadTests : AgentUnderTest
{
    private const string Topic = "plants/plant-t/pump-01/temperature";
    private static byte[] Bytes(params object[] parts)
    {
        var result = new List<byte>();
        foreach (var part in parts)
            result.AddRange(part switch { string s => Encoding.UTF8.GetBytes(s), byte[] b => b, _ => throw new ArgumentException("string or byte[]") });
        return [.. result];
    }

    /// <summary>Every hostile payload, the reason it must be dead-lettered with, and a word its detail must contain.</summary>
    public static readonly (string Name, string Topic, byte[] Payload, string Reason, string Detail)[] Corpus =
    [
        ("bytes FF FE in a string", Topic, Bytes("{\"value\":1,\"unit\":\"", new byte[] { 0xFF, 0xFE }, "\"}"), RejectReason.NotJson, "UTF-8"),
        ("Latin-1 degree sign", Topic, Bytes("{\"value\":1,\"unit\":\"", new byte[] { 0xB0 }, "C\"}"), RejectReason.NotJson, "UTF-8"),
        ("overlong form of /", Topic, Bytes("{\"value\":1,\"unit\":\"", new byte[] { 0xC0, 0xAF }, "\"}"), RejectReason.NotJson, "UTF-8"),
        ("encoded surrogate", Topic, Bytes("{\"value\":1,\"unit\":\"", new byte[] { 0xED, 0xA0, 0x80 }, "\"}"), RejectReason.NotJson, "UTF-8"),
        ("escaped lone surrogate", Topic, Bytes("{\"value\":1,\"unit\":\"\\ud800\"}"), RejectReason.NotJson, "surrogate"),
        ("comment", Topic, Bytes("{\"value\":1 /* calibrated */}"), RejectReason.NotJson, ""),
        ("trailing garbage", Topic, Bytes("{\"value\":1} garbage"), RejectReason.NotJson, ""),
        ("a second JSON text", Topic, Bytes("{\"value\":1}{\"value\":2}"), RejectReason.NotJson, ""),
        ("a NUL after the value", Topic, Bytes("{\"value\":1}", new byte[] { 0 }), RejectReason.NotJson, ""),
        ("duplicate member names", Topic, Bytes("{\"value\":1,\"value\":2}"), RejectReason.NotJson, "value"),
        ("nesting deeper than the limit", Topic, Bytes("{\"value\":1,\"x\":", new string('[', 40), new string(']', 40), "}"), RejectReason.NotJson, "depth"),
        ("an empty batch", "plants/plant-t/pump-01", Bytes("{\"readings\":[]}"), RejectReason.NoReadings, "no readings"),
        ("an empty array", "plants/plant-t/pump-01", Bytes("[]"), RejectReason.NoReadings, "empty array"),
        // Sparkplug B: payload { metrics: [ { name: <bytes FF FE> } ] } as protobuf; protobuf strings must be UTF-8.
        ("a Sparkplug metric name that is not UTF-8", "spBv1.0/line/NDATA/node-1", new byte[] { 0x12, 0x04, 0x0A, 0x02, 0xFF, 0xFE }, RejectReason.BadSparkplug, "Sparkplug"),
    ];

    [Fact]
    public async Task Every_hostile_payload_is_dead_lettered_once_with_its_reason_and_the_agent_keeps_running_across_a_restart()
    {
        var (agent, metrics) = await StartAsync();
        using var deadLetters = DeadLetters();
        using var telemetry = Telemetry();
        foreach (var c in Corpus) await MosquittoClients.PublishAsync(Broker, c.Topic, c.Payload, qos: 1);
        // A leading byte order mark, as .NET writers emit it, is allowed by RFC 8259 and ignored.
        await MosquittoClients.PublishAsync(Broker, Topic, Bytes(new byte[] { 0xEF, 0xBB, 0xBF }, "{\"value\":42}"), qos: 1);

        await deadLetters.WaitForCountAsync(Corpus.Length);
        await telemetry.WaitForCountAsync(1);
        Assert.Equal(42, Decode(Assert.Single(telemetry.Records)).Value);
        for (var i = 0; i < Corpus.Length; i++)
        {
            var (name, topic, payload, reason, detail) = Corpus[i];
            var dead = deadLetters.Records[i]; // one partition: in publishing order
            Assert.True(reason == Reason(dead), $"{name}: expected reason {reason}, got {Reason(dead)}");
            Assert.Equal(payload, dead.Message.Value); // the original bytes, unchanged
            Assert.Equal(topic, Encoding.UTF8.GetString(dead.Message.Key!));
            Assert.Contains(detail, Header(dead, DeadLetterHeaders.Detail), StringComparison.OrdinalIgnoreCase);
        }
        Assert.False(agent.HasExited, agent.Output);

        // Acknowledged once durable: after a SIGKILL and a restart with the same persistent session nothing comes back.
        agent.Kill();
        await agent.DisposeAsync();
        var (restarted, _) = await StartAsync();
        await using var __ = restarted;
        await MosquittoClients.PublishAsync(Broker, Topic, "{\"value\":43}", qos: 1);
        await telemetry.WaitForCountAsync(2);
        deadLetters.Poll(TimeSpan.FromSeconds(2));
        Assert.Equal(Corpus.Length, deadLetters.Records.Count);
        Assert.False(restarted.HasExited, restarted.Output);
    }

    [Fact]
    public async Task A_payload_larger_than_the_kafka_message_limit_is_dead_lettered_cut_to_fit_with_its_original_size()
    {
        const int size = 10 * 1024 * 1024;
        var (agent, metrics) = await StartAsync(("Mqtt:MaximumPacketSize", (16 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await using var _ = agent;
        using var deadLetters = DeadLetters();
        using var telemetry = Telemetry();
        var payload = Encoding.UTF8.GetBytes("{\"value\":1,\"pad\":\"" + new string('x', size - 20) + "\"}");

        await MosquittoClients.PublishAsync(Broker, Topic, payload, qos: 1);
        await MosquittoClients.PublishAsync(Broker, Topic, "{\"value\":7}", qos: 1);

        await deadLetters.WaitForCountAsync(1, TimeSpan.FromSeconds(60));
        var dead = Assert.Single(deadLetters.Records);
        Assert.Equal(RejectReason.PayloadTooLarge, Reason(dead));
        Assert.Equal(payload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(dead, DeadLetterHeaders.OriginalSize));
        Assert.InRange(dead.Message.Value!.Length, 900_000, 1_000_000);
        Assert.Equal(payload.AsSpan(0, dead.Message.Value.Length).ToArray(), dead.Message.Value); // the payload's beginning
        await telemetry.WaitForCountAsync(1);
        Assert.Equal(7, Decode(Assert.Single(telemetry.Records)).Value);
        Assert.Equal(1, await metrics.GetAsync("iott_edge_dead_letters_truncated_total"));
        Assert.False(agent.HasExited, agent.Output);
    }
}
