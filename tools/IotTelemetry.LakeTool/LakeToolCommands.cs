using System.CommandLine;
using IotTelemetry.Lake.Catalog;
using IotTelemetry.Lake.Rollups;

namespace IotTelemetry.LakeTool;

/// <summary>The commands of <c>iott-lake</c>, each with its options and what it runs; all print to <c>output</c>.</summary>
internal static class LakeToolCommands
{
    public static Command Inspect(TextWriter output)
    {
        var command = new Command("inspect", "print one file's footer: key/value metadata, schema, per row group each column's compression, encodings, size and statistics, then the first rows");
        var file = LakeToolArguments.One(command, "file", "one file to inspect (a path, or on blob storage its key in the dataset: site=S/date=D/hour=H/name.parquet)");
        var rows = LakeToolArguments.Count("--rows", 10, 0, "how many rows to print");
        var where = new LocationOptions(command, withRoot: false);
        command.Add(rows);
        command.SetAction(r =>
        {
            var location = where.Read(r);
            var path = r.GetValue(file)![0];
            if (!location.IsAzure) LakeInspector.Write(output, path, r.GetValue(rows));
            else
            {
                var dataset = LakeToolStore.Open(location, command.Name);
                using var local = dataset.Store.Fetch(dataset.Key(path));
                LakeInspector.Write(output, local.Path, r.GetValue(rows));
            }
            return 0;
        });
        return command;
    }

    public static Command Query(TextWriter output)
    {
        var command = new Command("query", "run one SQL statement with DuckDB over the views lake, rollup_1m and rollup_1h; print the result as a table");
        var sql = LakeToolArguments.One(command, "SQL", "one SQL statement (quoted) to run over the view lake");
        var maxRows = LakeToolArguments.Count("--max-rows", 10_000, 0, "at most this many rows printed, then the count");
        var where = new LocationOptions(command);
        command.Add(maxRows);
        command.SetAction(r =>
        {
            var location = where.Read(r);
            var statement = r.GetValue(sql)![0];
            if (!location.IsAzure) LakeQuery.Run(output, location.Root!, statement, r.GetValue(maxRows));
            else LakeQuery.Run(output, LakeToolStore.Open(location, command.Name), statement, r.GetValue(maxRows));
            return 0;
        });
        return command;
    }

    public static Command Compact(TextWriter output, DateTimeOffset now)
    {
        var command = new Command("compact", "merge the files of each closed partition into one (work directory, intent, then one atomic swap); finish or undo an interrupted run first");
        var partition = new Option<string>("--partition") { Description = "one partition", HelpName = "site=S/date=YYYY-MM-DD/hour=HH" };
        var all = new Option<bool>("--all") { Description = "every partition of the dataset" };
        var olderThan = LakeToolArguments.Duration("--older-than", TimeSpan.FromHours(2), "merge only partitions whose period ended at least this long ago");
        var where = new LocationOptions(command);
        command.Add(partition);
        command.Add(all);
        command.Add(olderThan);
        command.Validators.Add(r =>
        {
            if (r.GetValue(partition) is null && !r.GetValue(all)) r.AddError("Expected --partition site=S/date=YYYY-MM-DD/hour=HH or --all for compact");
            // --dataset names the raw dataset on blob storage (default lake), or a rollup tier beside it; on disk only the tiers.
            if (r.GetValue<string>("--dataset") is { } name && RollupTier.Parse(name) is null && name != "lake" && !new LakeLocation(Store: r.GetValue<string>("--store")).IsAzure)
                r.AddError($"Expected --dataset lake, rollup-1m or rollup-1h, got '{name}'");
        });
        command.SetAction(r =>
        {
            var location = where.Read(r);
            var tier = location.Dataset is { } name ? RollupTier.Parse(name) : null;
            var raw = LakeToolStore.Open(tier is null ? location : location with { Dataset = null }, command.Name);
            var compactor = tier is null ? new LakeCompactor(raw) : RollupCompaction.For(RollupFiles.Beside(raw), tier);
            var recovered = compactor.Recover();
            if (recovered > 0) output.WriteLine($"recovered {recovered} interrupted compaction(s)");
            var partitions = r.GetValue(all) ? compactor.Dataset.Partitions().ToList() : [r.GetValue(partition)!];
            foreach (var p in partitions)
            {
                var result = compactor.Compact(p, r.GetValue(olderThan), now);
                output.WriteLine(result.Merged is null
                    ? $"{result.Partition}: skipped: {result.Skipped}"
                    : $"{result.Partition}: merged {result.SourceFiles} files, {result.Rows} rows into {result.Merged}");
            }
            return 0;
        });
        return command;
    }

    public static Command Retention(TextWriter output, DateTimeOffset now)
    {
        var command = new Command("retention", "swap each partition older than its dataset's days for a tombstone: the raw readings and the rollup tiers beside them, each by its own days");
        var where = new LocationOptions(command);
        var retention = new RetentionOptions(command);
        command.SetAction(r => RetentionCommand.Run(output, LakeToolStore.Open(where.Read(r), command.Name), retention.Read(r), now));
        return command;
    }

    public static Command Catalog(TextWriter output, DateTimeOffset now)
    {
        var command = new Command("catalog", "write every dataset's catalog to _catalog/<dataset>.json from the files' footers and print it");
        var vendors = new Option<string>("--vendors") { Description = "edge agent configuration files whose Vendors:N sections say what each vendor receives", HelpName = "edge.json[,edge2.json]" };
        var json = new Option<bool>("--json") { Description = "print the catalogs as JSON" };
        var where = new LocationOptions(command);
        var retention = new RetentionOptions(command);
        command.Add(vendors);
        command.Add(json);
        command.SetAction(r =>
        {
            var raw = LakeToolStore.Open(where.Read(r), command.Name);
            var shares = r.GetValue(vendors) is { } v
                ? v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).SelectMany(VendorShares.FromEdgeConfig).ToList()
                : [];
            var catalogs = new CatalogBuilder(raw.Store, raw.Path).WriteAll(RetentionCommand.Policy(retention.Read(r)).DaysFor, shares, now);
            foreach (var c in catalogs)
                if (r.GetValue(json)) output.WriteLine(c.ToJson());
                else CatalogReport.Write(output, c);
            if (!r.GetValue(json))
                output.WriteLine($"catalog written: {string.Join(", ", catalogs.Select(c => raw.Store.Describe(CatalogDatasets.KeyFor(c.Dataset))))}");
            return 0;
        });
        return command;
    }

    public static Command Lineage(TextWriter output)
    {
        var command = new Command("lineage", "where rows came from: each file's lineage footer, down to the Kafka offsets");
        var target = LakeToolArguments.One(command, "target", "one file or partition directory");
        var json = new Option<bool>("--json") { Description = "print the footers as JSON" };
        var where = new LocationOptions(command);
        command.Add(json);
        command.SetAction(r =>
        {
            var footers = LakeLineageLookup.Footers(LakeToolStore.Open(where.Read(r), command.Name), r.GetValue(target)![0]);
            if (r.GetValue(json)) output.WriteLine(System.Text.Json.JsonSerializer.Serialize(footers, LakeToolJson.Default.ListFileFooter));
            else CatalogReport.WriteFiles(output, footers);
            return 0;
        });
        return command;
    }
}
