using System.Text;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Server;
using Google.Protobuf;
using Grpc.Core;
using IotTelemetry.Lake;
using IotTelemetry.Lake.Catalog;
using IotTelemetry.Lake.Rollups;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Flight;

/// <summary>
/// The lake over Arrow Flight. <c>ListFlights</c> names the datasets (the raw readings, <c>lake</c>, and summary tiers
/// when they exist), <c>GetFlightInfo</c>/<c>GetSchema</c> take a command descriptor holding a <see cref="FlightQuery"/> and answer
/// its schema and a ticket, <c>DoGet</c> streams the rows of a ticket (the same JSON) as record batches; a rollup tier's
/// partial aggregates are merged to one row per sensor and interval on the way (<see cref="RollupArrowReader"/>). Every call but
/// the handshake needs a login (<see cref="FlightAuth"/>); a call that fails answers a gRPC status, never stops the host.
/// </summary>
public sealed class LakeFlightServer(Lazy<LakeDataset> lake, FlightAuth auth, FlightOptions options, ILogger<LakeFlightServer> log) : FlightServer
{
    private readonly LakeArrowReader _reader = new(options.MaxRowsPerBatch);

    public override async Task Handshake(IAsyncStreamReader<FlightHandshakeRequest> requestStream, IAsyncStreamWriter<FlightHandshakeResponse> responseStream,
        ServerCallContext context)
    {
        var (_, token) = auth.Login(context);
        await context.WriteResponseHeadersAsync(new Metadata { { "authorization", "Bearer " + token } });
        while (await requestStream.MoveNext(context.CancellationToken)) { } // the payloads carry nothing we need
        await responseStream.WriteAsync(new FlightHandshakeResponse(ByteString.CopyFromUtf8(token), 0));
    }

    public override async Task ListFlights(FlightCriteria request, IAsyncStreamWriter<FlightInfo> responseStream, ServerCallContext context)
    {
        var user = auth.Authenticate(context);
        foreach (var dataset in Guard(user, () => CatalogDatasets.Discover(lake.Value.Store, lake.Value.Path)))
        {
            var query = new FlightQuery(dataset.Path, null, null, null, null, null);
            if (Guard(user, () => ShapeOf(dataset)) is { } shape) await responseStream.WriteAsync(Info(query, shape.Schema));
        }
    }

    public override Task<FlightInfo> GetFlightInfo(FlightDescriptor request, ServerCallContext context)
    {
        var user = auth.Authenticate(context);
        var (query, shape) = Guard(user, () => Resolve(request.Command.Span));
        return Task.FromResult(Info(query, shape.Schema));
    }

    public override Task<Schema> GetSchema(FlightDescriptor request, ServerCallContext context)
    {
        var user = auth.Authenticate(context);
        return Task.FromResult(Guard(user, () => Resolve(request.Command.Span)).Shape.Schema);
    }

    public override async Task DoGet(FlightTicket ticket, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context)
    {
        var user = auth.Authenticate(context);
        var (query, shape) = Guard(user, () => Resolve(ticket.Ticket.Span));
        await responseStream.SetupStream(shape.Schema);
        long rows = 0;
        var batches = 0;
        using var enumerator = Guard(user, () => Rows(CatalogDatasets.Find(lake.Value.Store, lake.Value.Path, query.Dataset!), query, shape, context.CancellationToken).GetEnumerator());
        while (Guard(user, enumerator.MoveNext))
        {
            using var batch = enumerator.Current;
            await responseStream.WriteAsync(batch);
            rows += batch.Length;
            batches++;
        }
        FlightLog.Served(log, user, rows, batches, query.Dataset!, query.Describe());
    }

    public override Task ListActions(IAsyncStreamWriter<FlightActionType> responseStream, ServerCallContext context)
    {
        auth.Authenticate(context);
        return Task.CompletedTask;
    }

    public override Task DoAction(FlightAction request, IAsyncStreamWriter<FlightResult> responseStream, ServerCallContext context) => throw ReadOnly();

    public override Task DoPut(FlightServerRecordBatchStreamReader requestStream, IAsyncStreamWriter<FlightPutResult> responseStream, ServerCallContext context) =>
        throw ReadOnly();

    public override Task DoExchange(FlightServerRecordBatchStreamReader requestStream, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context) =>
        throw ReadOnly();

    private (FlightQuery Query, (Schema Schema, List<ColumnInfo> Columns, List<string> Keys) Shape) Resolve(ReadOnlySpan<byte> command)
    {
        var query = FlightQuery.Parse(command);
        var raw = lake.Value;
        var dataset = CatalogDatasets.Find(raw.Store, raw.Path, query.Dataset ?? raw.Path);
        var shape = ShapeOf(dataset) ?? throw new KeyNotFoundException($"Expected files in dataset {dataset.Path}, it has none yet");
        return (query with { Dataset = dataset.Path }, shape);
    }

    /// <summary>A rollup tier beside the raw readings is served merged (<see cref="RollupArrowReader"/>); every other dataset as its files hold it.</summary>
    private (RollupFiles Files, RollupTier Tier)? RollupOf(LakeDataset dataset)
    {
        if (RollupTier.Parse(dataset.Path) is not { } tier) return null;
        var files = RollupFiles.Beside(lake.Value);
        return files.Dataset(tier).Path == dataset.Path ? (files, tier) : null;
    }

    private (Schema Schema, List<ColumnInfo> Columns, List<string> Keys)? ShapeOf(LakeDataset dataset) =>
        RollupOf(dataset) is { } rollup
            ? rollup.Files.AllFiles(rollup.Tier).Count > 0 ? (RollupArrowReader.Schema, [], []) : null
            : _reader.SchemaOf(dataset);

    private IEnumerable<RecordBatch> Rows(LakeDataset dataset, FlightQuery query, (Schema Schema, List<ColumnInfo> Columns, List<string> Keys) shape, CancellationToken ct) =>
        RollupOf(dataset) is { } rollup
            ? new RollupArrowReader(rollup.Files, options.MaxRowsPerBatch).Read(rollup.Tier, query, ct)
            : _reader.Read(dataset, query, shape, ct);

    private static FlightInfo Info(FlightQuery query, Schema schema)
    {
        var json = query.Describe();
        var descriptor = FlightDescriptor.CreateCommandDescriptor(json);
        return new FlightInfo(schema, descriptor, [new FlightEndpoint(new FlightTicket(Encoding.UTF8.GetBytes(json)), [])], -1, -1);
    }

    /// <summary>The one place a request's failure becomes a gRPC status: a bad ticket is the caller's error, a lake that cannot be read is ours.</summary>
    private T Guard<T>(string user, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or KeyNotFoundException or NotSupportedException)
        {
            FlightLog.Failed(log, user, ex.Message);
            throw new RpcException(new Status(ex is KeyNotFoundException ? StatusCode.NotFound : StatusCode.InvalidArgument, ex.Message));
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ParquetSharp.ParquetException or UnauthorizedAccessException)
        {
            FlightLog.Failed(log, user, ex.Message);
            throw new RpcException(new Status(StatusCode.Internal, "The lake could not be read: " + ex.Message));
        }
    }

    private static RpcException ReadOnly() => new(new Status(StatusCode.Unimplemented, "The lake's Flight endpoint is read-only: ListFlights, GetFlightInfo, GetSchema and DoGet"));
}
