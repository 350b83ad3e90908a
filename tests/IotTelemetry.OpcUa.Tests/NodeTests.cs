using IotTelemetry.TestKit;
using Xunit;

namespace IotTelemetry.OpcUa.Tests;

/// <summary>Each kind of NodeId, browse paths, a missing node, quality from status codes: against one shared node-opcua server.</summary>
public sealed class NodeTests(OpcUaServerFixture fixture) : IClassFixture<OpcUaServerFixture>
{
    private OpcUaClient NewClient(params OpcUaWatchedNode[] nodes) => new(ClientFactory.Options(fixture.Server.EndpointUrl, nodes));

    [Fact]
    public async Task Anonymous_client_receives_changing_values_with_timestamps_and_good_quality()
    {
        await using var client = new OpcUaClient(ClientFactory.Options(fixture.Server.EndpointUrl, ClientFactory.Node("ns=1;s=Pump1.Temperature")));
        await client.StartAsync(CancellationToken.None);

        var first = await ClientFactory.NextAsync(client, c => c.Value is not null, "a first temperature");
        var later = await ClientFactory.NextAsync(client, c => c.Value is not null && c.Value != first.Value, "a changed temperature");

        Assert.Equal(OpcUaQuality.Good, later.Quality);
        Assert.Equal("Good", later.StatusName);
        Assert.InRange(later.Value!.Value, 20, 30);
        Assert.NotNull(later.SourceTimestamp);
        Assert.NotNull(later.ServerTimestamp);
        Assert.InRange(later.SourceTimestamp!.Value, DateTime.UtcNow.AddSeconds(-10), DateTime.UtcNow.AddSeconds(1));
        Assert.True(later.SourceTimestamp > first.SourceTimestamp, "source timestamps move forward");
        Assert.Equal("pump1", later.Node.Asset);
        Assert.Equal("°C", later.Unit);
    }

    [Fact]
    public async Task String_numeric_guid_and_opaque_node_ids_and_a_browse_path_all_deliver_values()
    {
        await using var client = NewClient(
            ClientFactory.Node("ns=1;s=Pump1.Pressure", "pressure"),
            ClientFactory.Node("ns=1;i=1001", "speed"),
            ClientFactory.Node("ns=1;g=6f1c2b3a-0d4e-4f5a-8b9c-0123456789ab", "flow"),
            ClientFactory.Node("ns=1;b=TGV2ZWw=", "level"),
            ClientFactory.Node("/Objects/Pump1/Temperature", "temperature"),
            ClientFactory.Node("/Objects/1:Pump1/1:Running", "running"));
        await client.StartAsync(CancellationToken.None);

        var seen = new Dictionary<string, OpcUaDataChange>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (seen.Count < 6)
        {
            var change = await client.DataChanges.ReadAsync(cts.Token);
            seen[change.Node.Sensor] = change;
        }
        Assert.Equal(7, seen["level"].Value);
        Assert.Equal(1, seen["running"].Value);
        Assert.Equal("ns=1;s=Pump1.Temperature", seen["temperature"].ResolvedNodeId);
        Assert.Equal("ns=1;s=Pump1.Running", seen["running"].ResolvedNodeId);
        Assert.All(seen.Values, c => Assert.Equal(OpcUaQuality.Good, c.Quality));
        Assert.All(seen.Values, c => Assert.NotNull(c.Value));
    }

    [Fact]
    public async Task A_value_set_on_the_server_arrives_exactly_with_its_source_timestamp()
    {
        await using var client = NewClient(ClientFactory.Node("ns=1;s=Pump1.Pressure", "pressure"));
        await client.StartAsync(CancellationToken.None);
        await ClientFactory.NextAsync(client, c => c.Value is not null, "the initial pressure");

        var before = DateTime.UtcNow.AddSeconds(-1);
        await fixture.Server.SetAsync("ns=1;s=Pump1.Pressure", "42.125");
        var change = await ClientFactory.NextAsync(client, c => c.Value == 42.125, "pressure 42.125");

        Assert.InRange(change.SourceTimestamp!.Value, before, DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(DateTimeKind.Utc, change.SourceTimestamp!.Value.Kind);
        Assert.Null(change.NonNumericReason);
    }

    [Fact]
    public async Task A_missing_node_is_reported_as_BadNodeIdUnknown_while_the_others_keep_flowing()
    {
        await using var client = NewClient(
            ClientFactory.Node("ns=1;s=Pump1.DoesNotExist", "ghost"),
            ClientFactory.Node("/Objects/Pump1/NoSuchChild", "ghost2"),
            ClientFactory.Node("ns=1;i=1001", "speed"));
        await client.StartAsync(CancellationToken.None);

        var ghost = await ClientFactory.NextAsync(client, c => c.Node.Sensor == "ghost", "the missing node's report");
        Assert.Equal("BadNodeIdUnknown", ghost.StatusName);
        Assert.Equal(OpcUaQuality.Bad, ghost.Quality);
        Assert.Null(ghost.Value);
        Assert.Contains("BadNodeIdUnknown", ghost.NonNumericReason);

        var speeds = new List<double>();
        var ghost2Seen = false;
        await Wait.ForAsync(Task.Run(async () =>
        {
            while (speeds.Count < 3 || !ghost2Seen)
            {
                var change = await client.DataChanges.ReadAsync();
                if (change.Node.Sensor == "speed" && change.Value is { } v) speeds.Add(v);
                if (change.Node.Sensor == "ghost2") ghost2Seen = change.Quality == OpcUaQuality.Bad && change.StatusName == "BadNoMatch";
            }
        }), "three speed values and the unresolved browse path");
        Assert.True(speeds[2] > speeds[0], "the counter keeps counting");
    }

    [Fact]
    public async Task Uncertain_and_bad_status_codes_map_to_quality_and_strings_are_non_numeric()
    {
        await using var client = NewClient(ClientFactory.Node("ns=1;s=Pump1.Pressure", "pressure"), ClientFactory.Node("ns=1;s=Pump1.Status", "status"));
        await client.StartAsync(CancellationToken.None);

        var text = await ClientFactory.NextAsync(client, c => c.Node.Sensor == "status", "the string variable");
        Assert.Null(text.Value);
        Assert.Equal("non-numeric type String", text.NonNumericReason);

        await fixture.Server.SetStatusAsync("ns=1;s=Pump1.Pressure", "Uncertain");
        var uncertain = await ClientFactory.NextAsync(client, c => c.Node.Sensor == "pressure" && c.Quality == OpcUaQuality.Uncertain, "uncertain pressure");
        Assert.Equal("UncertainLastUsableValue", uncertain.StatusName);

        await fixture.Server.SetStatusAsync("ns=1;s=Pump1.Pressure", "Bad");
        var bad = await ClientFactory.NextAsync(client, c => c.Node.Sensor == "pressure" && c.Quality == OpcUaQuality.Bad, "bad pressure");
        Assert.Equal("BadSensorFailure", bad.StatusName);
        await fixture.Server.SetStatusAsync("ns=1;s=Pump1.Pressure", "Good");
    }

    [Fact]
    public async Task An_absolute_deadband_suppresses_small_changes()
    {
        await using var client = NewClient(ClientFactory.Node("ns=1;s=Pump1.Pressure", "pressure") with
        {
            DeadbandType = OpcUaDeadbandType.Absolute, DeadbandValue = 10,
        });
        await client.StartAsync(CancellationToken.None);
        await fixture.Server.SetAsync("ns=1;s=Pump1.Pressure", "100");
        await ClientFactory.NextAsync(client, c => c.Value == 100, "pressure 100");

        await fixture.Server.SetAsync("ns=1;s=Pump1.Pressure", "101");
        await fixture.Server.SetAsync("ns=1;s=Pump1.Pressure", "150");
        var next = await ClientFactory.NextAsync(client, c => c.Value is not null, "the next reported pressure");
        Assert.Equal(150, next.Value);
    }

    [Fact]
    public async Task A_percent_deadband_is_accepted_on_an_analog_item_and_refused_where_there_is_no_range()
    {
        await using var client = NewClient(
            ClientFactory.Node("ns=1;s=Pump1.Temperature", "analog") with { DeadbandType = OpcUaDeadbandType.Percent, DeadbandValue = 1 },
            ClientFactory.Node("ns=1;s=Pump1.Pressure", "plain") with { DeadbandType = OpcUaDeadbandType.Percent, DeadbandValue = 1 });
        await client.StartAsync(CancellationToken.None);

        var plain = await ClientFactory.NextAsync(client, c => c.Node.Sensor == "plain", "the report for the node without EURange");
        Assert.Equal(OpcUaQuality.Bad, plain.Quality);
        Assert.StartsWith("Bad", plain.StatusName);
        var analog = await ClientFactory.NextAsync(client, c => c.Node.Sensor == "analog", "a value of the analog item");
        Assert.Equal(OpcUaQuality.Good, analog.Quality);
        Assert.NotNull(analog.Value);
    }

    [Fact]
    public async Task Keep_alives_arrive_while_a_value_does_not_change()
    {
        await using var client = new OpcUaClient(ClientFactory.Options(fixture.Server.EndpointUrl, TimeSpan.FromMilliseconds(300),
            ClientFactory.Node("ns=1;b=TGV2ZWw=", "level", 100)));
        await client.StartAsync(CancellationToken.None);
        await ClientFactory.NextAsync(client, c => c.Value == 7, "the level's initial value");

        await Wait.UntilAsync(() => client.Statistics.KeepAlives >= 3, "three keep-alives", TimeSpan.FromSeconds(10));
        Assert.True(client.IsConnected);
        Assert.Equal(0, client.Statistics.Reconnects);
        Assert.Equal(0, client.Statistics.MissingSequenceNumbers);
    }

    [Fact]
    public async Task Republish_fills_a_sequence_number_gap()
    {
        var dropped = 0;
        await using var client = NewClient(ClientFactory.Node("ns=1;i=1001", "speed"));
        client.DropPublishResponse = r => r.Message.NotificationData.Length > 0 && r.Message.SequenceNumber == 3 && Interlocked.Increment(ref dropped) == 1;
        await client.StartAsync(CancellationToken.None);

        var values = new List<double>();
        await Wait.ForAsync(Task.Run(async () =>
        {
            while (values.Count < 8) values.Add((await client.DataChanges.ReadAsync()).Value!.Value);
        }), "eight speed values");

        Assert.Equal(1, dropped);
        Assert.True(client.Statistics.Republished >= 1, $"republished: {client.Statistics}");
        for (var i = 1; i < values.Count; i++) Assert.True(values[i] > values[i - 1], $"values arrive in order without a hole: {string.Join(",", values)}");
    }
}
