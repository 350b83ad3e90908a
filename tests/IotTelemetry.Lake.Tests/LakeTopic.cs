using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>A mock cloud cluster whose telemetry topic holds known readings, the way the mirror leaves it.</summary>
public sealed class LakeTopic : IDisposable
{
    public const string Telemetry = "telemetry";
    public const string DeadLetter = "telemetry.deadletter";

    public LakeTopic(int partitions)
    {
        Partitions = partitions;
        Cluster.CreateTopic(Telemetry, partitions);
        Cluster.CreateTopic(DeadLetter, 1);
    }

    public MockCluster Cluster { get; } = new();
    public int Partitions { get; }

    /// <summary><paramref name="count"/> readings of two sites, 24 sensors, spread over about three hours of event time, values unique.</summary>
    public static List<Reading> KnownReadings(int count, long startMicros)
    {
        var readings = new List<Reading>(count);
        var step = 3L * 3_600_000_000 / count;
        for (var i = 0; i < count; i++)
        {
            var site = i % 2 == 0 ? "plant-a" : "plant-b";
            var sensor = i % 24;
            readings.Add(new Reading(site, $"pump-{sensor / 4:D2}", $"s{sensor % 4}", startMicros + i * step, i * 0.25 + 0.125,
                (Quality)(i % 3), "mm/s", $"mqtt:plants/{site}/{sensor}", startMicros + i * step + 1_000));
        }
        return readings;
    }

    /// <summary>Produces each value to the telemetry topic (keyed by sensor) and waits for every acknowledgement.</summary>
    public void Produce(IEnumerable<(string Key, byte[] Value)> records)
    {
        using var producer = new ReadingProducer(Cluster.BootstrapServers, Telemetry);
        foreach (var (key, value) in records) producer.SendRecord(key, value);
        producer.Flush();
    }

    public void Produce(IEnumerable<Reading> readings)
    {
        using var producer = new ReadingProducer(Cluster.BootstrapServers, Telemetry);
        producer.Produce(readings);
    }

    public void Dispose() => Cluster.Dispose();
}
