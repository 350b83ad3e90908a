using System.Text;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Validation;
using IotTelemetry.TestKit;

namespace IotTelemetry.Edge.Tests;

/// <summary>
/// The edge agent reading a node-opcua server: values into the edge topic, restarts ridden out; NodeIds that name their
/// namespace by URI resolved through the server's NamespaceArray, and unresolvable nodes reported on /health.
/// </summary>
public sealed class EdgeOpcUaTests : IAsyncLifetime
{
    private readonly MockCluster _edge = new();
    private OpcUaTestServer _server = null!;
    private readonly string _pki = RepoPaths.NewTempDirectory("edge-pki");

    public async Task InitializeAsync()
    {
        _edge.CreateTopic("telemetry", 2);
        _edge.CreateTopic("telemetry.deadletter", 1);
        // The plant namespace at index 3 (fillers at 2): not where a configuration written for another server would put it.
        _server = await OpcUaTestServer.StartAsync("--users", "operator:s3cret-pw", "--interval", "100", "--plant-namespace-index", "3");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _edge.Dispose();
    }

    [Fact]
    public async Task Data_changes_from_an_encrypted_session_reach_the_edge_topic_and_survive_a_server_restart()
    {
        var (url, settings) = AgentSettings("pump-plc", "Basic256Sha256", "SignAndEncrypt");
        settings["OpcUa:Servers:0:UserName"] = "operator";
        settings["OpcUa:Servers:0:AutoAcceptServerCertificate"] = "true";
        settings["OpcUa:Servers:0:ClientCertificatePath"] = Path.Combine(_pki, "own", "client.pfx");
        settings["OpcUa:Servers:0:TrustListDirectory"] = _pki;
        void Node(int i, string node, string asset, string sensor)
        {
            settings[$"OpcUa:Servers:0:Nodes:{i}:Node"] = node;
            settings[$"OpcUa:Servers:0:Nodes:{i}:Asset"] = asset;
            settings[$"OpcUa:Servers:0:Nodes:{i}:Sensor"] = sensor;
            settings[$"OpcUa:Servers:0:Nodes:{i}:SamplingInterval"] = "00:00:00.1";
        }
        Node(0, "ns=1;s=Pump1.Temperature", "pump-1", "temperature");
        Node(1, "ns=1;i=1001", "pump-1", "speed");
        Node(2, "/Objects/Pump1/Flow", "pump-1", "flow");
        Node(3, "ns=1;s=Pump1.DoesNotExist", "pump-1", "ghost");
        Node(4, "ns=1;s=Pump1.Status", "pump-1", "status");
        var passwordFile = Path.Combine(_pki, "password");
        await File.WriteAllTextAsync(passwordFile, "s3cret-pw\n");
        settings["OpcUa:Servers:0:PasswordFile"] = passwordFile;

        await using var agent = Programs.Start(Programs.EdgeDll, settings);
        var metrics = new HostMetrics(url);
        using var telemetry = new KafkaProbe(_edge.BootstrapServers, "telemetry", 2);
        using var deadLetters = new KafkaProbe(_edge.BootstrapServers, "telemetry.deadletter", 1);
        List<Reading> Readings() => telemetry.Records.Select(r => ReadingCodec.Decode(r.Message.Value)).ToList();

        await Wait.UntilAsync(() => { telemetry.Poll(); return Readings().Select(r => r.Sensor).Distinct().Count() == 3; },
            "temperature, speed and flow readings", TimeSpan.FromSeconds(60));
        var temperature = Readings().First(r => r.Sensor == "temperature");
        Assert.Equal(("plant-ua", "pump-1", "°C", Quality.Good), (temperature.Site, temperature.Asset, temperature.Unit, temperature.Quality));
        Assert.StartsWith($"opcua:{_server.EndpointUrl}#ns=1;s=Pump1.Temperature", temperature.Source);
        Assert.InRange(temperature.TimestampMicros, UnixMicros.Now() - 120_000_000, UnixMicros.Now() + 1_000_000);
        Assert.DoesNotContain(Readings(), r => r.Sensor == "ghost");
        await metrics.WaitForAsync("iott_edge_opcua_node_errors_total", 1); // the missing node is reported, the rest flow

        // A value set on the server arrives exactly, with the quality the server gives it.
        await _server.SetAsync("ns=1;s=Pump1.Status", "running");
        await deadLetters.WaitForCountAsync(1);
        Assert.Equal(RejectReason.NonNumericValue, Encoding.UTF8.GetString(deadLetters.Records[0].Message.Headers.GetLastBytes(DeadLetterHeaders.Reason)));

        // Server restart mid-stream: the agent reconnects and readings keep coming.
        await _server.StopAsync();
        await _server.RestartAsync();
        var restartedAt = UnixMicros.Now();
        await metrics.WaitForAsync("iott_edge_opcua_reconnects", 1, TimeSpan.FromSeconds(60));
        await Wait.UntilAsync(() => { telemetry.Poll(); return Readings().Count(r => r.Sensor == "speed" && r.TimestampMicros > restartedAt) >= 5; },
            "speed readings sampled after the server restart", TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("s3cret-pw", agent.Output);
    }

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The agent reading only this server (MQTT and mirror off), its /metrics and /health on a free port.</summary>
    private (string Url, Dictionary<string, string> Settings) AgentSettings(string name, string policy, string mode)
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        return (url, new Dictionary<string, string>
        {
            ["Edge:Site"] = "plant-ua",
            ["Edge:Urls"] = url,
            ["Mqtt:Enabled"] = "false",
            ["Mirror:Enabled"] = "false",
            ["Kafka:Edge:BootstrapServers"] = _edge.BootstrapServers,
            ["OpcUa:Servers:0:Name"] = name,
            ["OpcUa:Servers:0:EndpointUrl"] = _server.EndpointUrl,
            ["OpcUa:Servers:0:SecurityPolicy"] = policy,
            ["OpcUa:Servers:0:SecurityMode"] = mode,
        });
    }

    [Fact]
    public async Task An_nsu_node_id_is_resolved_by_namespace_uri_and_unresolvable_nodes_make_health_degraded()
    {
        // A server name with a newline, quotes and a backslash: it labels the agent's OPC UA metrics.
        var (url, settings) = AgentSettings("line-plc\n\"cell 2\" C:\\opc", "None", "None");
        (string Node, string Sensor)[] nodes =
        [
            ("nsu=urn:iott:test:plant;s=Line1.Vibration", "vibration"),
            ("ns=2;s=Line1.Vibration", "vibration-by-index"), // index 2 is a filler namespace on this server
            ("nsu=urn:iott:test:missing;s=Line1.Vibration", "vibration-elsewhere"),
        ];
        for (var i = 0; i < nodes.Length; i++)
        {
            settings[$"OpcUa:Servers:0:Nodes:{i}:Node"] = nodes[i].Node;
            settings[$"OpcUa:Servers:0:Nodes:{i}:Asset"] = "line-1";
            settings[$"OpcUa:Servers:0:Nodes:{i}:Sensor"] = nodes[i].Sensor;
        }

        await using var agent = Programs.Start(Programs.EdgeDll, settings);
        using var telemetry = new KafkaProbe(_edge.BootstrapServers, "telemetry", 2);
        await telemetry.WaitForCountAsync(1, TimeSpan.FromSeconds(60));
        var reading = ReadingCodec.Decode(telemetry.Records[0].Message.Value);
        Assert.Equal(("line-1", "vibration", 4.5), (reading.Asset, reading.Sensor, reading.Value));

        string health = "";
        await Wait.UntilAsync(async () =>
        {
            try { health = await Http.GetStringAsync(url + "/health"); }
            catch (HttpRequestException) { return false; }
            return health.Contains("ns=2;s=Line1.Vibration", StringComparison.Ordinal) && health.Contains("urn:iott:test:missing", StringComparison.Ordinal);
        }, "/health naming both unresolved nodes", TimeSpan.FromSeconds(60));
        Assert.StartsWith("degraded", health);
        Assert.Contains("ns=2;s=Line1.Vibration: BadNodeIdUnknown", health);
        Assert.Contains("nsu=urn:iott:test:missing;s=Line1.Vibration: BadNodeIdUnknown: the server has no namespace 'urn:iott:test:missing'", health);
        Assert.DoesNotContain("nsu=urn:iott:test:plant", health);

        // /metrics carries the name escaped per the text format (\n, \", \\), and Prometheus' own parser reads it.
        const string serverLabel = "server=\"line-plc\\n\\\"cell 2\\\" C:\\\\opc\"";
        await new HostMetrics(url).WaitForAsync("iott_edge_opcua_node_errors_total", 1, labels: serverLabel);
        var exposition = await Http.GetStringAsync(url + "/metrics");
        Assert.Contains("iott_edge_opcua_connected{", exposition);
        var (code, output) = await Promtool.CheckMetricsAsync(exposition);
        Assert.True(code == 0, $"promtool check metrics exited {code}: {output}\n--- exposition:\n{exposition}");
        Assert.False(agent.HasExited, agent.Output);
    }

    [Fact]
    public async Task A_server_certificate_outside_the_trust_list_is_refused_on_health_and_saved_to_rejected_certs()
    {
        var (url, settings) = AgentSettings("strict-plc", "Basic256Sha256", "SignAndEncrypt");
        var pki = Path.Combine(_pki, "strict");
        settings["OpcUa:Servers:0:ClientCertificatePath"] = Path.Combine(pki, "own", "client.pfx");
        settings["OpcUa:Servers:0:TrustListDirectory"] = pki;
        settings["OpcUa:Servers:0:CheckServerCertificateRevocation"] = "false";
        settings["OpcUa:Servers:0:Nodes:0:Node"] = "ns=1;i=1001";
        settings["OpcUa:Servers:0:Nodes:0:Asset"] = "pump-1";
        settings["OpcUa:Servers:0:Nodes:0:Sensor"] = "speed";

        await using var agent = Programs.Start(Programs.EdgeDll, settings);
        string health = "";
        await Wait.UntilAsync(async () =>
        {
            try { health = await Http.GetStringAsync(url + "/health"); }
            catch (HttpRequestException) { return false; }
            return health.Contains("does not chain to the trust list", StringComparison.Ordinal);
        }, "/health naming the untrusted server certificate", TimeSpan.FromSeconds(60));
        Assert.StartsWith("degraded", health);
        Assert.Contains(Path.Combine(pki, "rejected", "certs"), health);
        Assert.Single(Directory.GetFiles(Path.Combine(pki, "rejected", "certs")));
        Assert.False(agent.HasExited, agent.Output);
    }
}
