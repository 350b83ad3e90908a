using System.IO.Hashing;
using System.Text;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Soak;

/// <summary>
/// How many partitions the embedded clusters' telemetry topics get. librdkafka's mock cluster keeps at most 5 MiB (and
/// 100,000 message sets) per partition and deletes the oldest beyond that; the limit is fixed in librdkafka
/// (<c>rd_kafka_mock_partition_init</c>: no <c>test.mock.*</c> property or mock API changes it), so the only way to make
/// the edge topic hold an outage is more partitions. Readings are keyed by sensor and librdkafka's default partitioner
/// puts a key on partition CRC-32(key) mod n, so partitions are not evenly loaded: with 144 partitions the busiest took
/// 20 of the 1,000 soak sensors (the mean is 7) and lost records in the 5-minute outage. The count is therefore chosen
/// by its busiest partition, computed from the soak's own keys.
/// </summary>
internal static class PartitionSizing
{
    /// <summary>Records of the soak a partition may hold: about 50,000 fit in 5 MiB; this leaves a margin.</summary>
    public const int RecordsKept = 45_000;

    public const int Min = 24, Max = 256;

    /// <param name="keys">Every sensor key the load publisher writes.</param>
    /// <param name="recordsPerKeyPerSecond">Readings per sensor per second (one per tick).</param>
    /// <param name="holdSeconds">How long the busiest partition must hold its records: the outage and the catch-up after it.</param>
    /// <param name="floor">The smallest count to consider.</param>
    public static Sizing Choose(IReadOnlyList<string> keys, double recordsPerKeyPerSecond, double holdSeconds, int floor)
    {
        Sizing? best = null;
        for (var n = Math.Clamp(floor, Min, Max); n <= Max; n++)
        {
            var busiest = BusiestPartitionKeys(keys, n);
            var sizing = new Sizing(n, busiest, RecordsKept / Math.Max(1e-9, busiest * recordsPerKeyPerSecond));
            if (sizing.HoldsSeconds >= holdSeconds) return sizing;
            if (best is null || sizing.BusiestKeys < best.BusiestKeys) best = sizing;
        }
        return best!;
    }

    public static IReadOnlyList<string> SoakKeys(int assets, int sensorsPerAsset) =>
        [.. Enumerable.Range(0, assets).SelectMany(a => Enumerable.Range(0, sensorsPerAsset)
            .Select(s => SensorKey.Of(Ledger.Site, Ledger.AssetName(a), Ledger.SensorName(s))))];

    /// <summary>Keys on the busiest of <paramref name="partitions"/> partitions, as librdkafka's consistent partitioner places them.</summary>
    public static int BusiestPartitionKeys(IReadOnlyList<string> keys, int partitions)
    {
        var perPartition = new int[partitions];
        foreach (var key in keys) perPartition[Crc32.HashToUInt32(Encoding.UTF8.GetBytes(key)) % (uint)partitions]++;
        return perPartition.Max();
    }
}

/// <param name="Partitions">The partition count.</param>
/// <param name="BusiestKeys">Sensors on its busiest partition.</param>
/// <param name="HoldsSeconds">Seconds of readings the busiest partition holds before the mock cluster deletes the oldest.</param>
internal sealed record Sizing(int Partitions, int BusiestKeys, double HoldsSeconds);
