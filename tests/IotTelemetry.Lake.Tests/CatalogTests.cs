using System.Globalization;
using IotTelemetry.Lake.Catalog;
using IotTelemetry.Lake.Lineage;
using IotTelemetry.LakeTool;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>iott-lake catalog and lineage over a lake the real sink wrote, checked against DuckDB and the headers the records carried.</summary>
public sealed class CatalogTests(MirroredLake lake) : IClassFixture<MirroredLake>, IDisposable
{
    private readonly string _scratch = RepoPaths.NewTempDirectory("lake-catalog");

    private LakeDataset Raw => LakeDataset.Local(lake.Root);

    private CatalogBuilder Builder => new(Raw.Store, Raw.Path);

    private string EdgeConfig()
    {
        var path = Path.Combine(_scratch, "edge.json");
        File.WriteAllText(path, """
            {
              "Edge": { "Site": "plant-a" },
              "Vendors": [
                { "Name": "acme", "Assets": [ "plant-a/pump-0*/s1" ], "Fields": [ "value", "unit" ], "Downsample": "00:01:00",
                  "AssetPseudonyms": { "pump-01": "A1" } },
                { "Name": "off", "Enabled": false, "Assets": [ "*/*/*" ] }
              ]
            }
            """);
        return path;
    }

    [Fact]
    public async Task The_catalog_states_rows_and_time_range_per_partition_and_the_schema_as_DuckDB_reads_them()
    {
        var catalogs = Builder.WriteAll(new RetentionPolicy { RawDays = 400 }.DaysFor, [], DateTimeOffset.UtcNow);
        var c = Assert.Single(catalogs);
        Assert.Equal("lake", c.Dataset);

        var results = await DuckDb.QueryManyAsync(
        [
            $"SELECT site, strftime(date, '%Y-%m-%d') AS date, hour, count(*) AS n, epoch_us(min(time)) AS lo, epoch_us(max(time)) AS hi " +
            $"FROM read_parquet({lake.Glob}, hive_partitioning = true, hive_types = {{'date': DATE, 'hour': VARCHAR}}) GROUP BY ALL ORDER BY ALL",
            $"SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet({lake.Glob}, hive_partitioning = false))",
        ]);
        var expected = results[0].Select(r => (
            Path: $"site={r["site"].GetString()}/date={r["date"].GetString()}/hour={r["hour"].GetString()}",
            Rows: r["n"].GetInt64(), Min: r["lo"].GetInt64(), Max: r["hi"].GetInt64())).ToList();
        Assert.Equal(6, expected.Count); // two sites, three hours
        Assert.Equal(expected, c.Partitions.Select(p => (p.Path, p.Rows, Micros(p.MinTime!.Value), Micros(p.MaxTime!.Value))).ToList());
        Assert.Equal(MirroredLake.Count, c.Totals.Rows);
        Assert.Equal(LakeFiles.Visible(lake.Root).Count, c.Totals.Files);
        Assert.Equal(expected.Min(e => e.Min), Micros(c.Totals.MinTime!.Value));
        Assert.Equal(expected.Max(e => e.Max), Micros(c.Totals.MaxTime!.Value));
        Assert.Equal(results[1].Select(r => r["column_name"].GetString()), c.Schema.Select(s => s.Name));
        Assert.Equal("TIMESTAMP(MICROS, UTC=true)", c.Schema[0].LogicalType);
        Assert.Equal(["site", "date", "hour"], c.Partitioning);
        Assert.Equal((400, 0), (c.Retention.KeepDays, c.Retention.DroppedPartitions));

        var kept = DatasetCatalog.FromJson(File.ReadAllText(Path.Combine(lake.DataDir, "_catalog", "lake.json")));
        Assert.Equal(c.Totals, kept.Totals);
        Assert.Equal(c.Partitions.Count, kept.Partitions.Count);
    }

    [Fact]
    public async Task The_catalog_lineage_names_sources_sites_cloud_and_edge_offsets_and_rules_and_the_vendor_shares()
    {
        var c = Builder.Build(Raw, 365, VendorShares.FromEdgeConfig(EdgeConfig()), DateTimeOffset.UtcNow);
        var l = c.Lineage;
        Assert.Equal(["plant-a", "plant-b"], l.Sites);
        Assert.Equal(0, l.FilesWithoutRecordedLineage);

        var results = await DuckDb.QueryManyAsync(
        [
            $"SELECT source, count(*) AS n FROM read_parquet({lake.Glob}) GROUP BY ALL ORDER BY source",
            $"SELECT kafka_partition AS p, min(kafka_offset) AS lo, max(kafka_offset) AS hi, count(*) AS n FROM read_parquet({lake.Glob}) GROUP BY ALL ORDER BY p",
        ]);
        Assert.Equal(results[0].Select(r => (r["source"].GetString(), r["n"].GetInt64())), l.Sources.Select(s => ((string?)s.Source, s.Rows)));
        var opc = l.Sources.First(s => s.Kind == "opcua");
        Assert.Equal(MirroredLake.OpcUaEndpoint, opc.Address);
        Assert.StartsWith("ns=1;s=pump-", opc.Node, StringComparison.Ordinal);
        var mqtt = l.Sources.First(s => s.Kind == "mqtt");
        Assert.StartsWith("plants/", mqtt.Address, StringComparison.Ordinal);
        Assert.Equal(results[1].Select(r => ("telemetry", (int)r["p"].GetInt64(), r["lo"].GetInt64(), r["hi"].GetInt64(), r["n"].GetInt64())),
            l.CloudTopics.Select(r => (r.Topic, r.Partition, r.FirstOffset, r.LastOffset, r.Rows)));

        var edge = lake.Produced.Values.GroupBy(p => (p.Site, p.Partition)).OrderBy(g => g.Key.Site, StringComparer.Ordinal).ThenBy(g => g.Key.Partition)
            .Select(g => (g.Key.Site, "telemetry", g.Key.Partition, g.Min(p => p.EdgeOffset), g.Max(p => p.EdgeOffset), (long)g.Count()));
        Assert.Equal(edge, l.EdgeTopics.Select(r => (r.Mirror, r.Topic, r.Partition, r.FirstOffset, r.LastOffset, r.Rows)));
        var rules = lake.Produced.Values.GroupBy(p => p.Rule).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, (long)g.Count()));
        Assert.Equal(rules, l.MappingRules.Select(r => (r.Name, r.Rows)));
        Assert.Equal([LakeLineage.SinkStep], l.Processing);

        var share = Assert.Single(c.Shares); // the disabled vendor shares nothing
        Assert.Equal(("acme", "plant-a", "vendor.acme", "vendor.acme", "00:01:00"), (share.Vendor, share.Site, share.EdgeTopic, share.CloudTopic, share.Downsample));
        Assert.Equal("shared with vendor acme from site plant-a: assets plant-a/pump-0*/s1; fields value, unit; downsampled to one mean per sensor per 00:01:00, "
            + "with pseudonyms; edge topic vendor.acme, cloud topic vendor.acme", share.Summary);

        var printed = new StringWriter();
        CatalogReport.Write(printed, c);
        Assert.Contains($"Dataset lake ({lake.Root}): 1,200 rows", printed.ToString(), StringComparison.Ordinal);
        Assert.Contains("edge topic telemetry[1] of mirror plant-b, offsets 5000..", printed.ToString(), StringComparison.Ordinal);
        Assert.Contains("shared with vendor acme", printed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lineage_of_a_file_gives_the_cloud_and_edge_offsets_of_exactly_its_rows()
    {
        var file = LakeFiles.Visible(lake.Root)[3];
        var footer = Assert.Single(LakeLineageLookup.Footers(Raw, file));
        var rows = await DuckDb.QueryAsync($"SELECT value, kafka_partition AS p, kafka_offset AS o FROM read_parquet({DuckDb.Literal(file)})");
        Assert.Equal(rows.Count, footer.Rows);
        var cloud = Assert.Single(footer.Lineage.Cloud);
        Assert.Equal(((int)rows[0]["p"].GetInt64(), rows.Min(r => r["o"].GetInt64()), rows.Max(r => r["o"].GetInt64()), (long)rows.Count),
            (cloud.Partition, cloud.FirstOffset, cloud.LastOffset, cloud.Rows));
        var produced = rows.Select(r => lake.Produced[r["value"].GetDouble()]).ToList();
        var edge = Assert.Single(footer.Lineage.Edge); // a file holds one site and one partition: one mirror's range
        Assert.Equal((produced[0].Site, produced.Min(p => p.EdgeOffset), produced.Max(p => p.EdgeOffset), (long)rows.Count),
            (edge.Mirror, edge.FirstOffset, edge.LastOffset, edge.Rows));

        // A partition by its path relative to the root: every file, the same rows as DuckDB counts there.
        var partition = Path.GetRelativePath(lake.Root, Path.GetDirectoryName(file)!);
        var footers = LakeLineageLookup.Footers(Raw, partition);
        Assert.Equal(Directory.EnumerateFiles(Path.GetDirectoryName(file)!, "*.parquet").Count(), footers.Count);
        var printed = new StringWriter();
        CatalogReport.WriteFiles(printed, footers);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Partition total: {footers.Sum(f => f.Rows):N0} rows"), printed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compaction_keeps_the_lineage_of_the_files_it_merges()
    {
        var copy = Path.Combine(_scratch, "lake");
        var partition = Raw.Partitions()[0];
        CopyDirectory(Path.Combine(lake.Root, partition), Path.Combine(copy, partition));
        var dataset = LakeDataset.Local(copy);
        var before = LakeLineage.Merge(LakeLineageLookup.Footers(dataset, partition).Select(f => f.Lineage));

        var result = new LakeCompactor(copy).Compact(partition, TimeSpan.FromHours(2), DateTimeOffset.UtcNow);
        Assert.Null(result.Skipped);
        var merged = Assert.Single(LakeLineageLookup.Footers(dataset, partition));
        Assert.True(merged.LineageRecorded);
        Assert.Equal(result.SourceFiles, merged.CompactedFrom.Count);
        Assert.Equal(before.Cloud, merged.Lineage.Cloud);
        Assert.Equal(before.Edge, merged.Lineage.Edge);
        Assert.Equal(before.Sources, merged.Lineage.Sources);
        Assert.Equal(before.Rules, merged.Lineage.Rules);
        Assert.Equal([LakeLineage.SinkStep, LakeLineage.CompactionStep], merged.Lineage.Processing);
    }

    [Fact]
    public void A_summary_tier_in_its_own_directory_is_a_dataset_of_the_catalog_with_its_own_schema()
    {
        var copy = Path.Combine(_scratch, "tiers");
        RollupFile.Write(Path.Combine(copy, "rollup-1m", "site=plant-a", "date=2026-03-01", "hour=07", "rollup-000.parquet"), MirroredLake.Start, 30);
        File.WriteAllText(Path.Combine(copy, "alerts.jsonl"), "{}\n"); // the host's other files beside the datasets are none
        var store = new LocalLakeStore(copy);
        Assert.Equal(["lake", "rollup-1m"], CatalogDatasets.Discover(store, "lake").Select(d => d.Path));
        var c = new CatalogBuilder(store, "lake").Build(CatalogDatasets.Find(store, "lake", "rollup-1m"), new RetentionPolicy().DaysFor("rollup-1m"), [], DateTimeOffset.UtcNow);
        Assert.Equal((30L, 730), (c.Totals.Rows, c.Retention.KeepDays));
        Assert.Equal(RollupFile.Columns, c.Schema.Select(s => s.Name));
        Assert.Equal(MirroredLake.Start, c.Totals.MinTime);
        Assert.Equal(["rollup"], c.Lineage.Processing);
    }

    [Fact]
    public void A_rollup_writer_file_gives_its_step_and_Kafka_range_as_its_lineage()
    {
        var copy = Path.Combine(_scratch, "rollups");
        var tier = IotTelemetry.Lake.Rollups.RollupTier.Minute;
        var start = IotTelemetry.Common.Readings.UnixMicros.FromDateTimeOffset(MirroredLake.Start);
        var metadata = KafkaFooter.Of("telemetry", 3, 100, 199, "plant-a");
        metadata[FileFooter.ProcessingKey] = tier.Processing;
        var path = Path.Combine(copy, tier.Dataset, tier.PartitionOf("plant-a", start), "telemetry-003-00000000000000000100-00000000000000000199.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        IotTelemetry.Lake.Rollups.RollupParquet.Write(path,
            [new(start, "pump-00", "s0", "mm/s", IotTelemetry.Lake.Rollups.RollupAggregate.Of(1.5, true, start, 3, 150))], ParquetSharp.Compression.Snappy, metadata);
        var store = new LocalLakeStore(copy);
        var c = new CatalogBuilder(store, "lake").Build(CatalogDatasets.Find(store, "lake", tier.Dataset), new RetentionPolicy().DaysFor(tier.Dataset), [], DateTimeOffset.UtcNow);
        Assert.Equal([tier.Processing], c.Lineage.Processing);
        Assert.Equal(0, c.Lineage.FilesWithoutRecordedLineage);
        var range = Assert.Single(c.Lineage.CloudTopics);
        Assert.Equal(("telemetry", 3, 100L, 199L), (range.Topic, range.Partition, range.FirstOffset, range.LastOffset));
    }

    [Fact]
    public async Task The_host_keeps_the_catalog_current_with_its_Retention_section_and_keeps_the_vendor_shares_it_was_given()
    {
        var key = Path.Combine(lake.DataDir, "_catalog", "lake.json");
        Builder.WriteAll(new RetentionPolicy().DaysFor, VendorShares.FromEdgeConfig(EdgeConfig()), DateTimeOffset.UtcNow);
        var written = DateTimeOffset.UtcNow; // a refresh stamped later began after this entry was in place
        DatasetCatalog? refreshed = null;
        await Wait.UntilAsync(() =>
        {
            try
            {
                refreshed = DatasetCatalog.FromJson(File.ReadAllText(key));
            }
            catch (IOException) { return false; }
            return refreshed.GeneratedAtUtc > written;
        }, "the host to rewrite _catalog/lake.json", TimeSpan.FromSeconds(30));
        Assert.Equal(MirroredLake.Count, refreshed!.Totals.Rows);
        Assert.Equal(MirroredLake.RawDays, refreshed.Retention.KeepDays); // the host's Retention:RawDays, not the tool's default 365
        Assert.Equal("acme", Assert.Single(refreshed.Shares).Vendor);
    }

    [Fact]
    public void A_file_written_before_lineage_was_recorded_gets_the_Kafka_range_of_its_metadata_and_is_counted()
    {
        var dir = Path.Combine(_scratch, "old", "lake", "site=plant-a", "date=2026-03-01", "hour=07");
        Directory.CreateDirectory(dir);
        var rows = new LakeRows();
        for (var i = 0; i < 10; i++) rows.Add(1_772_348_400_000_000 + i, "pump-00", "s0", i, "good", "", "mqtt:plants/a/pump-00/s0", 0, 2, 500 + i);
        LakeParquet.Write(Path.Combine(dir, "telemetry-002-00000000000000000500-00000000000000000509.parquet"), rows, ParquetSharp.Compression.Snappy, 1 << 20,
            new Dictionary<string, string>
            {
                ["iott.kafka.topic"] = "telemetry", ["iott.kafka.partition"] = "2", ["iott.kafka.first_offset"] = "500", ["iott.kafka.last_offset"] = "509",
            });
        var old = LakeDataset.Local(Path.Combine(_scratch, "old", "lake"));
        var c = new CatalogBuilder(old.Store, old.Path).Build(old, 365, [], DateTimeOffset.UtcNow);
        Assert.Equal(1, c.Lineage.FilesWithoutRecordedLineage);
        var range = Assert.Single(c.Lineage.CloudTopics);
        Assert.Equal(("telemetry", 2, 500L, 509L, 10L), (range.Topic, range.Partition, range.FirstOffset, range.LastOffset, range.Rows));
        Assert.Empty(c.Lineage.EdgeTopics);
    }

    private static long Micros(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).Ticks / 10;

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    public void Dispose()
    {
        try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { }
    }
}
