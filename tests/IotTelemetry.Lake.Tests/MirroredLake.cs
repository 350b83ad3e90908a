using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>
/// A lake the real sink wrote from records as two plants' mirrors leave them on the cloud topic: each with the mirror's
/// link and edge offset headers and the edge's mapping rule header. Shared by the catalog, lineage and Flight tests.
/// </summary>
public class MirroredLake : IAsyncLifetime
{
    public MirroredLake() : this([]) { }

    /// <param name="settings">Extra host settings (the Flight tests turn the endpoint on).</param>
    protected MirroredLake(Dictionary<string, string> settings)
    {
        Settings = settings;
        Settings["Lake:CatalogInterval"] = "00:00:01"; // the host keeps the catalog current
        Settings["Retention:RawDays"] = RawDays.ToString(CultureInfo.InvariantCulture); // the catalog states the host's retention
    }

    /// <summary>The host's <c>Retention:RawDays</c>: not the default, so a catalog stating it shows where it came from.</summary>
    public const int RawDays = 400;

    public const int Partitions = 2;
    public const int Count = 1_200;
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 7, 0, 0, TimeSpan.Zero);
    public const string OpcUaEndpoint = "opc.tcp://127.0.0.1:4840/UA/Pump";

    private readonly LakeTopic _topic = new(Partitions);

    public string DataDir { get; } = RepoPaths.NewTempDirectory("lake-lineage");
    public string Root => Path.Combine(DataDir, "lake");
    public string Glob => DuckDb.Literal(LakeFiles.Glob(Root));

    /// <summary>What each reading (by its unique value) was given: its site, edge partition, edge offset and rule.</summary>
    public Dictionary<double, (string Site, int Partition, long EdgeOffset, string Rule)> Produced { get; } = [];

    public Dictionary<string, string> Settings { get; }

    public ExternalProcess? Host { get; private set; }

    public virtual async Task InitializeAsync()
    {
        var readings = LakeTopic.KnownReadings(Count, UnixMicros.FromDateTimeOffset(Start))
            .Select((r, i) => i % 5 == 0 ? r with { Source = $"opcua:{OpcUaEndpoint}#ns=1;s={r.Asset}.{r.Sensor}" } : r).ToList();
        var edgeOffsets = new Dictionary<(string, int), long> { [("plant-a", 0)] = 1_000, [("plant-a", 1)] = 1_000, [("plant-b", 0)] = 5_000, [("plant-b", 1)] = 5_000 };
        using (var producer = new ReadingProducer(_topic.Cluster.BootstrapServers, LakeTopic.Telemetry))
        {
            foreach (var r in readings)
            {
                var partition = (int)(r.Value * 4) % Partitions; // values are i * 0.25 + 0.125: the partitions alternate
                var edgeOffset = edgeOffsets[(r.Site, partition)]++;
                var rule = r.Source.StartsWith("opcua:", StringComparison.Ordinal) ? LineageHeaders.OpcUaRule : r.Site == "plant-a" ? "plants-json" : LineageHeaders.SparkplugRule;
                Produced[r.Value] = (r.Site, partition, edgeOffset, rule);
                var offsetBytes = new byte[8];
                BinaryPrimitives.WriteInt64BigEndian(offsetBytes, edgeOffset);
                producer.Send(r, partition, new Headers
                {
                    { LineageHeaders.Rule, Encoding.UTF8.GetBytes(rule) },
                    { LineageHeaders.MirrorLink, Encoding.UTF8.GetBytes(r.Site + ":telemetry") },
                    { LineageHeaders.MirrorSourceOffset, offsetBytes },
                });
            }
            producer.Flush();
        }
        var (process, metrics) = CloudSink.Start(_topic.Cluster.BootstrapServers, DataDir, maxRowsPerFile: 97, Settings);
        Host = process;
        await metrics.WaitForAsync("iott_cloud_lake_rows_total", Count, TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
        _topic.Dispose();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
