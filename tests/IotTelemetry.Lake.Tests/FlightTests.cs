using System.Globalization;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Apache.Arrow.Types;
using Grpc.Core;
using Grpc.Net.Client;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>The cloud host's Arrow Flight endpoint read with the Arrow Flight C# client, compared with DuckDB over the same Parquet files.</summary>
public sealed class FlightTests(FlightLake lake) : IClassFixture<FlightLake>, IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(lake.Url);

    private FlightClient Client => new(_channel);

    private static Metadata Basic(string user, string password) =>
        new() { { "authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)) } };

    /// <summary>The handshake pyarrow's <c>authenticate_basic_token</c> makes: Basic credentials in, a bearer token back in the response headers.</summary>
    private async Task<Metadata> LogIn(string password = FlightLake.Password)
    {
        using var call = Client.Handshake(Basic(FlightLake.User, password));
        await call.RequestStream.CompleteAsync();
        var headers = await call.ResponseHeadersAsync;
        while (await call.ResponseStream.MoveNext(CancellationToken.None)) { }
        var bearer = headers.GetValue("authorization");
        Assert.StartsWith("Bearer ", bearer, StringComparison.Ordinal);
        return new Metadata { { "authorization", bearer! } };
    }

    private async Task<(Schema Schema, List<RecordBatch> Batches)> Get(string ticket, Metadata auth)
    {
        using var call = Client.GetStream(new FlightTicket(ticket), auth);
        var batches = new List<RecordBatch>();
        await foreach (var batch in call.ResponseStream) batches.Add(batch);
        return (await call.ResponseStream.Schema, batches);
    }

    [Fact]
    public async Task A_selection_streams_as_record_batches_with_the_rows_DuckDB_reads_from_the_same_files()
    {
        var auth = await LogIn();
        const string ticket = """{"site":"plant-a","asset":["pump-01","pump-03"],"sensor":["s0","s2"],"from":"2026-03-01T07:20:00Z","to":"2026-03-01T09:10:00Z"}""";
        var (schema, batches) = await Get(ticket, auth);

        Assert.Equal(["time", "asset", "sensor", "value", "quality", "unit", "source", "ingest_time", "kafka_partition", "kafka_offset", "site", "date", "hour"],
            schema.FieldsList.Select(f => f.Name));
        var time = Assert.IsType<TimestampType>(schema.GetFieldByName("time").DataType);
        Assert.Equal((Apache.Arrow.Types.TimeUnit.Microsecond, "UTC"), (time.Unit, time.Timezone));
        Assert.All(batches, b => Assert.InRange(b.Length, 1, 40));
        var flight = batches.SelectMany(Rows).OrderBy(r => r).ToList();

        var duck = await DuckDb.QueryAsync(
            $"SELECT epoch_us(time) AS t, asset, sensor, value, quality, source, kafka_partition AS p, kafka_offset AS o, site " +
            $"FROM read_parquet({lake.Glob}, hive_partitioning = true) WHERE site = 'plant-a' AND asset IN ('pump-01', 'pump-03') AND sensor IN ('s0', 's2') " +
            "AND time >= TIMESTAMPTZ '2026-03-01 07:20:00+00' AND time < TIMESTAMPTZ '2026-03-01 09:10:00+00'");
        var expected = duck.Select(r => string.Join('|', r["t"].GetInt64().ToString(CultureInfo.InvariantCulture), r["asset"].GetString(), r["sensor"].GetString(),
            r["value"].GetDouble().ToString("R", CultureInfo.InvariantCulture), r["quality"].GetString(), r["source"].GetString(),
            r["p"].GetInt64().ToString(CultureInfo.InvariantCulture), r["o"].GetInt64().ToString(CultureInfo.InvariantCulture), r["site"].GetString()))
            .OrderBy(r => r, StringComparer.Ordinal).ToList();
        Assert.InRange(expected.Count, 20, MirroredLake.Count / 4); // a real selection: some rows, far from all
        Assert.Equal(expected, flight);
    }

    [Fact]
    public async Task FlightInfo_of_a_command_gives_a_ticket_for_the_same_rows_and_ListFlights_names_the_datasets()
    {
        var auth = await LogIn();
        var info = await Client.GetInfo(FlightDescriptor.CreateCommandDescriptor("""{"site":"plant-b","to":"2026-03-01T08:00:00Z"}"""), auth);
        var ticket = Encoding.UTF8.GetString(Assert.Single(info.Endpoints).Ticket.Ticket.ToByteArray());
        var (_, batches) = await Get(ticket, auth);
        var duck = await DuckDb.QueryAsync($"SELECT count(*) AS n FROM read_parquet({lake.Glob}, hive_partitioning = true) WHERE site = 'plant-b' AND time < TIMESTAMPTZ '2026-03-01 08:00:00+00'");
        Assert.Equal(duck[0]["n"].GetInt64(), batches.Sum(b => (long)b.Length));
        Assert.True(batches.Sum(b => b.Length) > 0);

        using var list = Client.ListFlights(new FlightCriteria(), auth);
        var names = new List<string>();
        while (await list.ResponseStream.MoveNext(CancellationToken.None)) names.Add(Encoding.UTF8.GetString(list.ResponseStream.Current.Descriptor.Command.ToByteArray()));
        Assert.Contains(names, n => n.Contains("\"dataset\":\"lake\"", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("\"dataset\":\"rollup-1m\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rollup_tier_streams_merged_one_row_per_sensor_and_minute_as_DuckDB_merges_the_same_partials()
    {
        var auth = await LogIn();
        var (schema, batches) = await Get("""{"dataset":"rollup-1m","site":"plant-a","sensor":"s0","from":"2026-03-01T07:00:00Z","to":"2026-03-01T07:40:00Z"}""", auth);
        Assert.Equal(["site", "asset", "sensor", "unit", "time", "count", "min", "max", "mean", "stddev", "last", "last_time", "good_share"],
            schema.FieldsList.Select(f => f.Name));
        var flight = batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => new[]
        {
            ((StringArray)b.Column("site")).GetString(i), ((StringArray)b.Column("sensor")).GetString(i),
            ((TimestampArray)b.Column("time")).Values[i].ToString(CultureInfo.InvariantCulture), ((Int64Array)b.Column("count")).GetValue(i)!.Value.ToString(CultureInfo.InvariantCulture),
            R(((DoubleArray)b.Column("min")).GetValue(i)), R(((DoubleArray)b.Column("max")).GetValue(i)), R(((DoubleArray)b.Column("mean")).GetValue(i)),
            R(((DoubleArray)b.Column("stddev")).GetValue(i)), R(((DoubleArray)b.Column("last")).GetValue(i)),
            ((TimestampArray)b.Column("last_time")).Values[i].ToString(CultureInfo.InvariantCulture), R(((DoubleArray)b.Column("good_share")).GetValue(i)),
        })).ToList();
        var duck = await DuckDb.QueryAsync($"SELECT site, sensor, epoch_us(time) AS t, count, min, max, mean, stddev, last, epoch_us(last_time) AS lt, good_share, partials " +
            $"FROM ({IotTelemetry.Lake.Rollups.RollupSql.Merged(lake.RollupFiles)}) " +
            "WHERE site = 'plant-a' AND sensor = 's0' AND time >= TIMESTAMPTZ '2026-03-01 07:00:00+00' AND time < TIMESTAMPTZ '2026-03-01 07:40:00+00' ORDER BY time");
        Assert.Equal(40, duck.Count);
        Assert.All(duck.Skip(1), r => Assert.Equal(FlightLake.PartialFiles, r["partials"].GetInt64())); // DuckDB merged several partials per row, as Flight must
        static string D(System.Text.Json.JsonElement e) => e.ValueKind == System.Text.Json.JsonValueKind.Null ? "null" : R(e.GetDouble());
        Assert.Equal(duck.Select(r => new[]
        {
            r["site"].GetString(), r["sensor"].GetString(), r["t"].GetInt64().ToString(CultureInfo.InvariantCulture), r["count"].GetInt64().ToString(CultureInfo.InvariantCulture),
            D(r["min"]), D(r["max"]), D(r["mean"]), D(r["stddev"]), D(r["last"]), r["lt"].GetInt64().ToString(CultureInfo.InvariantCulture), D(r["good_share"]),
        }), flight);
        Assert.Equal("null", flight[0][7]); // the first minute holds one reading: no standard deviation
    }

    /// <summary>A double to 9 significant digits: the merge order of partials differs between DuckDB and us in the last bits only.</summary>
    private static string R(double? v) => v is { } x ? x.ToString("G9", CultureInfo.InvariantCulture) : "null";

    [Fact]
    public async Task A_wrong_password_no_credentials_or_a_made_up_token_are_refused()
    {
        var wrong = await Assert.ThrowsAsync<RpcException>(() => LogIn("not the password"));
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        var none = await Assert.ThrowsAsync<RpcException>(() => Get("{}", []));
        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        var madeUp = await Assert.ThrowsAsync<RpcException>(() => Get("{}", new Metadata { { "authorization", "Bearer bm90IGEgdG9rZW4=" } }));
        Assert.Equal(StatusCode.Unauthenticated, madeUp.StatusCode);
        var basicWrong = await Assert.ThrowsAsync<RpcException>(() => Get("{}", Basic(FlightLake.User, "guess")));
        Assert.Equal(StatusCode.Unauthenticated, basicWrong.StatusCode);
        Assert.DoesNotContain("guess", lake.Host!.Output, StringComparison.Ordinal); // a password never reaches the log

        // Basic credentials on the call itself work too (clients without a handshake).
        var (_, batches) = await Get("""{"site":"plant-a","sensor":"s0"}""", Basic(FlightLake.User, FlightLake.Password));
        Assert.True(batches.Sum(b => b.Length) > 0);
    }

    [Fact]
    public async Task A_ticket_that_is_not_a_query_is_answered_InvalidArgument_and_the_endpoint_keeps_serving()
    {
        var auth = await LogIn();
        var bad = await Assert.ThrowsAsync<RpcException>(() => Get("""{"site":42}""", auth));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Get("""{"dataset":"nope"}""", auth));
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        var (_, batches) = await Get("{}", auth);
        Assert.Equal(MirroredLake.Count, batches.Sum(b => (long)b.Length));
    }

    /// <summary>Each row as the same text DuckDB's row is turned into.</summary>
    private static IEnumerable<string> Rows(RecordBatch b)
    {
        var time = (TimestampArray)b.Column("time");
        var asset = (StringArray)b.Column("asset");
        var sensor = (StringArray)b.Column("sensor");
        var value = (DoubleArray)b.Column("value");
        var quality = (StringArray)b.Column("quality");
        var source = (StringArray)b.Column("source");
        var partition = (Int32Array)b.Column("kafka_partition");
        var offset = (Int64Array)b.Column("kafka_offset");
        var site = (StringArray)b.Column("site");
        for (var i = 0; i < b.Length; i++)
            yield return string.Join('|', time.Values[i].ToString(CultureInfo.InvariantCulture), asset.GetString(i), sensor.GetString(i),
                value.GetValue(i)!.Value.ToString("R", CultureInfo.InvariantCulture), quality.GetString(i), source.GetString(i),
                partition.GetValue(i)!.Value.ToString(CultureInfo.InvariantCulture), offset.GetValue(i)!.Value.ToString(CultureInfo.InvariantCulture), site.GetString(i));
    }

    public void Dispose() => _channel.Dispose();
}
