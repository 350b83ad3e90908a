using System.Globalization;
using System.Text;
using Confluent.Kafka;
using DuckDB.NET.Data;
using IotTelemetry.Anomaly;

namespace IotTelemetry.Soak;

/// <summary>What the lake and the alerts hold against what the publisher was told was received.</summary>
internal sealed class Reconciliation
{
    public long InLake { get; private set; }
    public long Lost { get; private set; }
    public long Duplicated { get; private set; }
    public long Unexpected { get; private set; }
    public long UnacknowledgedDelivered { get; private set; }
    public long OpcUaRows { get; private set; }
    public long OpcUaDuplicated { get; private set; }
    public TimeSpan MaxDelay { get; private set; }
    public List<string> Problems { get; } = [];

    /// <summary>Every problem, uncapped (written to problems.txt beside the logs).</summary>
    public List<string> AllProblems { get; } = [];

    /// <summary>The lost readings by asset: how many MQTT messages, from which tick to which (the first 20 assets).</summary>
    public List<string> LostByAsset { get; } = [];
    public string AlertSummary { get; private set; } = "";
    public bool AlertsAgree { get; private set; }

    private static string Glob(string lake) => DuckLiteral(Path.Combine(lake, "**", "*.parquet"));

    private static string DuckLiteral(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Readings of the soak's site now in the lake (DuckDB), for the drain.</summary>
    public static long CountInLake(string lake)
    {
        if (!Directory.EnumerateFiles(lake, "*.parquet", SearchOption.AllDirectories).Any()) return 0;
        using var db = Open();
        return Convert.ToInt64(Scalar(db, $"SELECT count(*) FROM read_parquet({Glob(lake)}, hive_partitioning = true) WHERE site = '{Ledger.Site}'"), CultureInfo.InvariantCulture);
    }

    public static Reconciliation Run(Ledger ledger, string lake, string journal, string cloudBootstrap)
    {
        var r = new Reconciliation();
        r.CheckLake(ledger, lake);
        r.CheckAlerts(journal, cloudBootstrap);
        return r;
    }

    private static DuckDBConnection Open()
    {
        var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        using var tz = db.CreateCommand();
        tz.CommandText = "SET TimeZone = 'UTC'";
        tz.ExecuteNonQuery();
        return db;
    }

    private static object Scalar(DuckDBConnection db, string sql)
    {
        using var c = db.CreateCommand();
        c.CommandText = sql;
        return c.ExecuteScalar()!;
    }

    private void CheckLake(Ledger ledger, string lake)
    {
        var seen = new HashSet<long>();
        if (!Directory.EnumerateFiles(lake, "*.parquet", SearchOption.AllDirectories).Any()) { Problems.Add("the lake holds no Parquet file"); }
        else
        {
            using var db = Open();
            using (var c = db.CreateCommand())
            {
                // Every distinct reading of the soak's site and how often it is there.
                c.CommandText = $"SELECT asset, sensor, epoch_us(time) AS t, value, count(*) AS n, string_agg(CAST(kafka_partition AS VARCHAR) || ':' || CAST(kafka_offset AS VARCHAR) || ' ingested ' || strftime(ingest_time, '%H:%M:%S.%f'), ', ' ORDER BY kafka_offset) AS copies FROM read_parquet({Glob(lake)}, hive_partitioning = true) WHERE site = '{Ledger.Site}' GROUP BY ALL";
                using var rows = c.ExecuteReader();
                while (rows.Read())
                {
                    var asset = rows.GetString(0);
                    var sensor = rows.GetString(1);
                    var micros = rows.GetInt64(2);
                    var value = rows.GetDouble(3);
                    var n = rows.GetInt64(4);
                    InLake += n;
                    var name = $"{asset}/{sensor}@{micros}={value.ToString("R", CultureInfo.InvariantCulture)}";
                    if (!TryIdentify(ledger, asset, sensor, micros, out var a, out var s, out var tick) || Ledger.Value(a, s, tick) != value)
                    {
                        Unexpected += n;
                        Note($"unexpected reading in the lake: {name} (x{n})");
                        continue;
                    }
                    seen.Add(Key(a, s, tick));
                    if (n > 1) { Duplicated += n - 1; Note($"duplicated reading: {name} is in the lake {n} times (cloud partition:offset, edge ingest time: {rows.GetString(5)})"); }
                    if (!ledger.IsAcknowledged(a, tick)) UnacknowledgedDelivered += n;
                }
            }
            // OPC UA readings (their own site): each at most once.
            using (var c = db.CreateCommand())
            {
                c.CommandText = $"SELECT count(*), count(*) - count(DISTINCT (asset, sensor, time, value)) FROM read_parquet({Glob(lake)}, hive_partitioning = true) WHERE site = 'plant-opc'";
                using var rows = c.ExecuteReader();
                rows.Read();
                OpcUaRows = rows.GetInt64(0);
                OpcUaDuplicated = rows.GetInt64(1);
                if (OpcUaDuplicated > 0) Note($"{OpcUaDuplicated} OPC UA readings are in the lake more than once");
            }
            using (var c = db.CreateCommand())
            {
                c.CommandText = $"SELECT count(*) FROM read_parquet({Glob(lake)}, hive_partitioning = true) WHERE site NOT IN ('{Ledger.Site}', 'plant-opc')";
                var others = Convert.ToInt64(c.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (others > 0) { Unexpected += others; Note($"{others} readings of another site are in the lake"); }
            }
            // End-to-end delay: a file's modification time minus the oldest event time in it (the publisher paces event time to its clock).
            using (var c = db.CreateCommand())
            {
                c.CommandText = $"SELECT filename, min(epoch_us(time)) FROM read_parquet({Glob(lake)}, hive_partitioning = true, filename = true) WHERE site = '{Ledger.Site}' GROUP BY filename";
                using var rows = c.ExecuteReader();
                while (rows.Read())
                {
                    var written = new DateTimeOffset(File.GetLastWriteTimeUtc(rows.GetString(0))).ToUnixTimeMilliseconds() * 1000;
                    var delay = TimeSpan.FromMicroseconds(written - rows.GetInt64(1));
                    if (delay > MaxDelay) MaxDelay = delay;
                }
            }
        }
        var lostTicks = new SortedDictionary<int, List<long>>();
        foreach (var (a, tick) in ledger.AcknowledgedMessages())
            for (var s = 0; s < ledger.SensorsPerAsset; s++)
                if (!seen.Contains(Key(a, s, tick)))
                {
                    Lost++;
                    Note($"lost reading: {Ledger.AssetName(a)}/{Ledger.SensorName(s)}@{ledger.TimestampMillis(tick) * 1000} (acknowledged by the broker, not in the lake)");
                    if (!lostTicks.TryGetValue(a, out var ticks)) lostTicks[a] = ticks = [];
                    if (ticks.Count == 0 || ticks[^1] != tick) ticks.Add(tick);
                }
        foreach (var (a, ticks) in lostTicks.Take(20))
            LostByAsset.Add($"{Ledger.AssetName(a)}: {ticks.Count} messages, ticks {ticks[0]} to {ticks[^1]} " +
                $"({DateTimeOffset.FromUnixTimeMilliseconds(ledger.TimestampMillis(ticks[0])):HH:mm:ss.fff} to {DateTimeOffset.FromUnixTimeMilliseconds(ledger.TimestampMillis(ticks[^1])):HH:mm:ss.fff} UTC)");
        if (lostTicks.Count > 20) LostByAsset.Add($"(and {lostTicks.Count - 20} more assets)");
    }

    private static long Key(int a, int s, long tick) => ((long)a * 128 + s) * (1L << 40) + tick;

    private static bool TryIdentify(Ledger ledger, string asset, string sensor, long micros, out int a, out int s, out long tick)
    {
        a = s = 0;
        tick = -1;
        if (!asset.StartsWith("a-", StringComparison.Ordinal) || !int.TryParse(asset.AsSpan(2), CultureInfo.InvariantCulture, out a) || a >= ledger.Assets) return false;
        if (!Ledger.TryParseSensor(sensor, out s) || s >= ledger.SensorsPerAsset) return false;
        var sinceStart = micros - ledger.StartMillis * 1000;
        if (sinceStart < 0 || sinceStart % (ledger.PeriodMillis * 1000L) != 0) return false;
        tick = sinceStart / (ledger.PeriodMillis * 1000L);
        return true;
    }

    private void Note(string problem)
    {
        AllProblems.Add(problem);
        if (Problems.Count < 50) Problems.Add(problem);
        else if (Problems.Count == 50) Problems.Add("(more problems left out)");
    }

    /// <summary>The journal and the alerts topic must hold the same events, and no alert may be raised twice.</summary>
    private void CheckAlerts(string journal, string cloudBootstrap)
    {
        var inJournal = File.Exists(journal)
            ? File.ReadLines(journal).Where(l => l.Length > 0).Select(l => AlertJson.Deserialize(l.AsSpan())).ToList()
            : [];
        var inTopic = ReadTopic(cloudBootstrap, "alerts");
        static string Id(AlertEvent e) => $"{e.Kind} {e.AlertId} @{e.EventMicros}";
        var journalIds = inJournal.Select(Id).ToHashSet();
        var topicIds = inTopic.Select(Id).ToHashSet();
        var raisedTwice = inTopic.Where(e => e.Kind == AlertEventKind.Raised).GroupBy(e => e.AlertId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var onlyJournal = journalIds.Except(topicIds).ToList();
        var onlyTopic = topicIds.Except(journalIds).ToList();
        AlertsAgree = onlyJournal.Count == 0 && onlyTopic.Count == 0 && raisedTwice.Count == 0;
        AlertSummary = $"{inJournal.Count} journal events, {inTopic.Count} on the alerts topic ({inTopic.Count(e => e.Kind == AlertEventKind.Raised)} raised); " +
                       $"only in the journal {onlyJournal.Count}, only on the topic {onlyTopic.Count}, raised twice {raisedTwice.Count}";
        foreach (var id in onlyJournal.Take(5)) Note("alert event only in the journal: " + id);
        foreach (var id in onlyTopic.Take(5)) Note("alert event only on the alerts topic: " + id);
        foreach (var id in raisedTwice.Take(5)) Note("alert raised twice: " + id);
    }

    private static List<AlertEvent> ReadTopic(string bootstrap, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = "soak-" + Guid.NewGuid().ToString("N"), EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest, EnablePartitionEof = true,
        }).SetLogHandler((_, _) => { }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics[0].Partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)).ToList();
        consumer.Assign(partitions);
        var events = new List<AlertEvent>();
        var atEnd = new HashSet<int>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (atEnd.Count < partitions.Count && DateTime.UtcNow < deadline)
        {
            var cr = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (cr is null) continue;
            if (cr.IsPartitionEOF) { atEnd.Add(cr.Partition.Value); continue; }
            if (cr.Message.Value is { } v) events.Add(AlertJson.Deserialize(Encoding.UTF8.GetString(v).AsSpan()));
        }
        return events;
    }
}
