using System.Globalization;
using IotTelemetry.Lake;
using IotTelemetry.Lake.Rollups;
using IotTelemetry.Lake.Catalog;
using IotTelemetry.LakeTool;
using DuckDB.NET.Data;
using ParquetSharp;

// iott-lake: inspect, query, compact and apply retention to the Parquet lake.
const string Usage = """
    usage:
      iott-lake inspect <file.parquet> [--rows N]
      iott-lake query --root <lake> "SQL over the view lake" [--max-rows N]
      iott-lake compact --root <lake> --partition site=S/date=YYYY-MM-DD/hour=HH [--older-than 02:00:00]
      iott-lake compact --root <lake> --all [--older-than 02:00:00] [--dataset lake|rollup-1m|rollup-1h]
      iott-lake retention --root <lake> [--keep-days N] [--keep-1m-days N] [--keep-1h-days N] [--config appsettings.json]
      iott-lake catalog --root <lake> [--vendors edge.json[,edge2.json]] [--keep-days N] [--keep-1m-days N] [--keep-1h-days N] [--config appsettings.json] [--json]
      iott-lake lineage --root <lake> <file.parquet | partition directory> [--json]
    the lake on blob storage: --store azure [--container C] [--prefix P] [--dataset lake] instead of --root,
      with the Lake:Store settings in the environment (Lake__Store__ConnectionString, or Lake__Store__AccountUrl and
      Lake__Store__Auth with its key, SAS or identity); inspect then takes a file's key in the dataset
      (site=S/date=D/hour=H/name.parquet) and query reads a local copy of the dataset; compact --dataset rollup-1m|rollup-1h
      and retention work on the rollup datasets beside the raw one in the same store.
    """;

try
{
    if (args.Length == 0) { Console.Error.WriteLine(Usage); return 2; }
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    var positional = new List<string>();
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i] is "--all" or "--json") options[args[i][2..]] = "true";
        else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length) options[args[i][2..]] = args[++i];
        else positional.Add(args[i]);
    }
    string Require(string name) => options.TryGetValue(name, out var v) ? v : throw new ArgumentException($"Expected --{name} for {args[0]}");
    var now = DateTimeOffset.UtcNow;
    switch (args[0])
    {
        case "inspect":
        {
            if (positional.Count != 1) throw new ArgumentException($"Expected one file to inspect, got {positional.Count}");
            var rows = options.TryGetValue("rows", out var n) ? int.Parse(n, CultureInfo.InvariantCulture) : 10;
            if (!LakeToolStore.IsAzure(options)) LakeInspector.Write(Console.Out, positional[0], rows);
            else
            {
                var dataset = LakeToolStore.Open(options, args[0]);
                using var local = dataset.Store.Fetch(dataset.Key(positional[0]));
                LakeInspector.Write(Console.Out, local.Path, rows);
            }
            return 0;
        }
        case "query":
        {
            if (positional.Count != 1) throw new ArgumentException($"Expected one SQL statement (quoted) to run over the view lake, got {positional.Count} arguments");
            var maxRows = options.TryGetValue("max-rows", out var m) ? int.Parse(m, CultureInfo.InvariantCulture) : 10_000;
            if (!LakeToolStore.IsAzure(options)) LakeQuery.Run(Console.Out, Require("root"), positional[0], maxRows);
            else LakeQuery.Run(Console.Out, LakeToolStore.Open(options, args[0]), positional[0], maxRows);
            return 0;
        }
        case "compact":
        {
            var name = options.GetValueOrDefault("dataset", "lake");
            var tier = RollupTier.Parse(name);
            if (tier is null && name != "lake" && !LakeToolStore.IsAzure(options))
                throw new ArgumentException($"Expected --dataset lake, rollup-1m or rollup-1h, got '{name}'");
            // --dataset names the raw dataset on blob storage (default lake), or a rollup tier beside it.
            var raw = LakeToolStore.Open(tier is null ? options : options.Where(o => o.Key != "dataset").ToDictionary(), args[0]);
            var compactor = tier is null ? new LakeCompactor(raw) : RollupCompaction.For(RollupFiles.Beside(raw), tier);
            var olderThan = options.TryGetValue("older-than", out var o) ? TimeSpan.Parse(o, CultureInfo.InvariantCulture) : TimeSpan.FromHours(2);
            var recovered = compactor.Recover();
            if (recovered > 0) Console.WriteLine($"recovered {recovered} interrupted compaction(s)");
            var partitions = options.ContainsKey("all") ? compactor.Dataset.Partitions().ToList() : [Require("partition")];
            foreach (var p in partitions)
            {
                var result = compactor.Compact(p, olderThan, now);
                Console.WriteLine(result.Merged is null
                    ? $"{result.Partition}: skipped: {result.Skipped}"
                    : $"{result.Partition}: merged {result.SourceFiles} files, {result.Rows} rows into {result.Merged}");
            }
            return 0;
        }
        case "retention":
            return RetentionCommand.Run(Console.Out, LakeToolStore.Open(options, args[0]), options, now);
        case "catalog":
        {
            var raw = LakeToolStore.Open(options, args[0]);
            var shares = options.TryGetValue("vendors", out var v)
                ? v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).SelectMany(VendorShares.FromEdgeConfig).ToList()
                : [];
            var catalogs = new CatalogBuilder(raw.Store, raw.Path).WriteAll(RetentionCommand.Policy(options).DaysFor, shares, now);
            foreach (var c in catalogs)
                if (options.ContainsKey("json")) Console.WriteLine(c.ToJson());
                else CatalogReport.Write(Console.Out, c);
            if (!options.ContainsKey("json"))
                Console.WriteLine($"catalog written: {string.Join(", ", catalogs.Select(c => raw.Store.Describe(CatalogDatasets.KeyFor(c.Dataset))))}");
            return 0;
        }
        case "lineage":
        {
            if (positional.Count != 1) throw new ArgumentException($"Expected one file or partition directory, got {positional.Count}");
            var footers = LakeLineageLookup.Footers(LakeToolStore.Open(options, args[0]), positional[0]);
            if (options.ContainsKey("json")) Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(footers, LakeToolJson.Default.ListFileFooter));
            else CatalogReport.WriteFiles(Console.Out, footers);
            return 0;
        }
        default:
            Console.Error.WriteLine($"Expected a command (inspect, query, compact, retention, catalog, lineage), got '{args[0]}'\n{Usage}");
            return 2;
    }
}
catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or InvalidDataException or ParquetException or DuckDBException or OverflowException
    or IotTelemetry.Common.Configuration.ConfigurationException)
{
    Console.Error.WriteLine($"iott-lake: {ex.Message}");
    return 1;
}
