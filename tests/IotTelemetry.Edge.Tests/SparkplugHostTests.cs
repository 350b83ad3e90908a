using System.Text.Json;
using System.Text;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Sparkplug;
using IotTelemetry.Edge.Validation;
using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests;

/// <summary>
/// The agent as a Sparkplug B host application (Sparkplug:HostId), against an edge node made of Eclipse Tahu's
/// JavaScript client (npm sparkplug-client) through a real mosquitto: STATE and its will, rebirth requests the edge
/// node receives and decodes with Tahu, and deaths that mark sensors Bad.
/// </summary>
public sealed class SparkplugHostTests(MosquittoFixture mosquitto) : SparkplugPeers(mosquitto), IClassFixture<MosquittoFixture>
{
    private readonly string _hostId = mosquitto.Unique("scada");

    private async Task<(ExternalProcess Agent, HostMetrics Metrics)> StartAgentAsync()
    {
        var (agent, metrics) = StartAgent(("Sparkplug:HostId", _hostId), ("Sparkplug:RebirthMinInterval", "00:00:00"));
        await agent.WaitForLineAsync("Sparkplug host application online", TimeSpan.FromSeconds(60));
        return (agent, metrics);
    }

    /// <summary>Starts the Tahu edge node gateway-1 (device press-7) of group line1 and waits until it listens for commands.</summary>
    private async Task<ExternalProcess> StartEdgeNodeAsync()
    {
        var node = ExternalProcess.Start("node", [Path.Combine(RepoPaths.NodePeers, "sparkplug-edge-node.mjs"),
            $"mqtt://{Broker.Host}:{Broker.Port}", "line1", "gateway-1", "press-7"], RepoPaths.NodePeers);
        await node.WaitForLineAsync("READY", TimeSpan.FromSeconds(30));
        return node;
    }

    private const string Births = """
        {"op":"birth",
         "node":[{"name":"Uptime","alias":100,"type":"Int64","value":12}],
         "device":[{"name":"Hydraulics/Temperature","alias":1,"type":"Double","value":65.25},{"name":"Pressure","alias":2,"type":"Float","value":6.5}]}
        """;

    private static string OneLine(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);

    private static List<Reading> Readings(KafkaProbe telemetry) => telemetry.Records.Select(r => ReadingCodec.Decode(r.Message.Value)).ToList();

    [Fact]
    public async Task Aliased_data_is_ingested_and_a_seq_gap_or_an_unknown_alias_is_dead_lettered_and_answered_with_a_rebirth_tahu_decodes()
    {
        var (agent, metrics) = await StartAgentAsync();
        await using var _ = agent;
        await using var node = await StartEdgeNodeAsync();
        using var telemetry = new KafkaProbe(Edge.BootstrapServers, "telemetry", 2);
        using var deadLetters = new KafkaProbe(Edge.BootstrapServers, "telemetry.deadletter", 1);

        await node.WriteLineAsync(OneLine(Births));
        await node.WriteLineAsync("""{"op":"ddata","metrics":[{"alias":1,"type":"Double","value":66.5},{"alias":2,"type":"Float","value":6.75}]}""");
        await telemetry.WaitForCountAsync(5);
        Assert.Equal(
            [("gateway-1", "Uptime", 12.0), ("press-7", "Hydraulics.Temperature", 65.25), ("press-7", "Hydraulics.Temperature", 66.5),
             ("press-7", "Pressure", 6.5), ("press-7", "Pressure", 6.75)],
            Readings(telemetry).Select(r => (r.Asset, r.Sensor, r.Value)).Order());
        Assert.All(Readings(telemetry), r => Assert.Equal(Quality.Good, r.Quality)); // bdSeq is bookkeeping, not a sensor

        // A forced seq gap: the message is dead-lettered and the node asked for a rebirth, which it decodes with Tahu and answers.
        await node.WriteLineAsync("""{"op":"skip","n":2}""");
        await node.WriteLineAsync("""{"op":"ddata","metrics":[{"alias":1,"type":"Double","value":70}]}""");
        await node.WaitForLineAsync("REBIRTH");
        Assert.Equal("""NCMD [{"name":"Node Control/Rebirth","type":"Boolean","value":true}]""", node.Lines.First(l => l.StartsWith("NCMD", StringComparison.Ordinal)));
        await telemetry.WaitForCountAsync(8); // the births again
        await node.WriteLineAsync("""{"op":"ddata","metrics":[{"alias":1,"type":"Double","value":71}]}""");
        await telemetry.WaitForCountAsync(9);

        // An alias no birth announced: dead-lettered, and another rebirth.
        await node.WriteLineAsync("""{"op":"ddata","metrics":[{"alias":9,"type":"Double","value":1}]}""");
        await Wait.UntilAsync(() => node.Lines.Count(l => l.StartsWith("REBIRTH", StringComparison.Ordinal)) == 2, "a second rebirth");
        await deadLetters.WaitForCountAsync(2);
        Assert.Equal([RejectReason.SequenceGap, RejectReason.UnknownAlias],
            deadLetters.Records.Select(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(DeadLetterHeaders.Reason))));
        await telemetry.WaitForCountAsync(12);
        var values = Readings(telemetry).Where(r => r.Sensor == "Hydraulics.Temperature").Select(r => r.Value).ToList();
        Assert.Equal([65.25, 66.5, 65.25, 71, 65.25], values); // 70 (after the gap) was not ingested
        Assert.Equal(1, await metrics.GetAsync("iott_edge_sparkplug_rebirths_requested_total", "reason=\"sequence_gap\""));
        Assert.Equal(1, await metrics.GetAsync("iott_edge_sparkplug_rebirths_requested_total", "reason=\"unknown_alias\""));
    }

    [Fact]
    public async Task An_ndeath_marks_every_sensor_the_births_announced_bad_until_the_next_birth()
    {
        var (agent, _) = await StartAgentAsync();
        await using var __ = agent;
        using var telemetry = new KafkaProbe(Edge.BootstrapServers, "telemetry", 2);
        await using (var node = await StartEdgeNodeAsync())
        {
            await node.WriteLineAsync(OneLine(Births));
            await node.WriteLineAsync("""{"op":"ddata","metrics":[{"alias":2,"type":"Float","value":7.25}]}""");
            await telemetry.WaitForCountAsync(4);
            node.Kill(); // no DISCONNECT: mosquitto publishes the node's will, Tahu's NDEATH with the birth's bdSeq
        }
        await telemetry.WaitForCountAsync(7);
        var stale = Readings(telemetry).Skip(4).ToList();
        Assert.Equal([("gateway-1", "Uptime", 12.0), ("press-7", "Hydraulics.Temperature", 65.25), ("press-7", "Pressure", 7.25)],
            stale.Select(r => (r.Asset, r.Sensor, r.Value)).Order()); // each sensor's last value
        Assert.All(stale, r => Assert.Equal((Quality.Bad, "mqtt:spBv1.0/line1/NDEATH/gateway-1"), (r.Quality, r.Source)));

        await using var reborn = await StartEdgeNodeAsync();
        await reborn.WriteLineAsync(OneLine(Births));
        await telemetry.WaitForCountAsync(10);
        Assert.All(Readings(telemetry).Skip(7), r => Assert.Equal(Quality.Good, r.Quality));
    }

    /// <summary>The STATE a new subscriber gets from the broker (retained), as JSON.</summary>
    private async Task<JsonElement> RetainedStateAsync()
    {
        await using var subscriber = await MosquittoClients.SubscribeAsync(Broker, SparkplugHostState.Topic(_hostId));
        await Wait.UntilAsync(() => MosquittoClients.Messages(subscriber).Count > 0, "the retained STATE");
        var hex = MosquittoClients.Messages(subscriber)[0].Split(' ')[^1];
        return JsonDocument.Parse(Convert.FromHexString(hex)).RootElement.Clone();
    }

    [Fact]
    public async Task State_is_retained_online_while_the_agent_runs_and_offline_through_its_will_after_kill_9()
    {
        var (agent, _) = await StartAgentAsync();
        await using var _ = agent;
        var online = await RetainedStateAsync();
        Assert.True(online.GetProperty("online").GetBoolean());
        var timestamp = online.GetProperty("timestamp").GetInt64();
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        agent.Kill();
        JsonElement offline = default;
        await Wait.UntilAsync(async () => !(offline = await RetainedStateAsync()).GetProperty("online").GetBoolean(), "the will saying offline");
        Assert.Equal(timestamp, offline.GetProperty("timestamp").GetInt64()); // the will carries the birth's timestamp
    }

    [Fact]
    public async Task A_clean_shutdown_publishes_state_offline_itself()
    {
        var (agent, _) = await StartAgentAsync();
        await using var _ = agent;
        var timestamp = (await RetainedStateAsync()).GetProperty("timestamp").GetInt64();

        using (var term = System.Diagnostics.Process.Start("kill", ["-TERM", agent.Id.ToString()])) await term.WaitForExitAsync();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var offline = await RetainedStateAsync(); // the agent has gone: nothing can change the retained STATE any more
        Assert.Equal((false, timestamp), (offline.GetProperty("online").GetBoolean(), offline.GetProperty("timestamp").GetInt64()));
    }

    [Fact]
    public async Task Rebirth_requests_are_rate_limited_per_node_and_a_late_ndeath_of_an_older_birth_is_ignored()
    {
        var requests = new List<RebirthRequest>();
        var mapper = new SparkplugMapper(new SparkplugOptions { HostId = _hostId, RebirthMinInterval = TimeSpan.FromSeconds(10) },
            new ValidationOptions(), "plant", requests.Add);
        var t = UnixMicros.Now();
        var birth = await EncodeAsync("""{"timestamp":1795248000000,"seq":0,"metrics":[{"name":"bdSeq","type":"UInt64","value":3},{"name":"Level","alias":1,"type":"Double","value":2.5}]}""");
        Assert.Single(mapper.Map("spBv1.0/g/NBIRTH/n1", birth, t).Readings);

        string? Data(int seq, long at) => mapper.Map("spBv1.0/g/NDATA/n1",
            EncodeAsync($$"""{"seq":{{seq}},"metrics":[{"alias":1,"type":"Double","value":3}]}""").Result, at).Rejection?.Reason;
        Assert.Null(Data(1, t));
        Assert.Equal(RejectReason.SequenceGap, Data(3, t));
        Assert.Equal(RejectReason.SequenceGap, Data(5, t + 1_000_000)); // within 10 s: dead-lettered, no second request
        Assert.Null(Data(6, t + 1_000_000));
        Assert.Equal(RejectReason.NotBorn, mapper.Map("spBv1.0/g/NDATA/n2", birth, t + 2_000_000).Rejection?.Reason); // another node: its own limit
        Assert.Equal(RejectReason.SequenceGap, Data(8, t + 11_000_000));
        Assert.Equal([new RebirthRequest("g", "n1", RejectReason.SequenceGap), new RebirthRequest("g", "n2", RejectReason.NotBorn),
            new RebirthRequest("g", "n1", RejectReason.SequenceGap)], requests);

        var lateWill = await EncodeAsync("""{"timestamp":1795248000000,"metrics":[{"name":"bdSeq","type":"UInt64","value":2}]}""");
        Assert.Empty(mapper.Map("spBv1.0/g/NDEATH/n1", lateWill, t + 12_000_000).Readings);
        var will = await EncodeAsync("""{"timestamp":1795248000000,"metrics":[{"name":"bdSeq","type":"UInt64","value":3}]}""");
        var dead = Assert.Single(mapper.Map("spBv1.0/g/NDEATH/n1", will, t + 13_000_000).Readings);
        Assert.Equal(("n1", "Level", 3.0, Quality.Bad, t + 13_000_000), (dead.Asset, dead.Sensor, dead.Value, dead.Quality, dead.TimestampMicros));
        Assert.Equal(RejectReason.NotBorn, Data(9, t + 30_000_000)); // dead: data needs a new birth
    }
}
