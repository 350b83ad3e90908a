namespace IotTelemetry.Lake.Catalog;

/// <summary>
/// A dataset of the lake: a directory of Parquet files in a Hive layout (<c>key=value</c> directories). The raw readings
/// are the lake root itself (<c>site=/date=/hour=</c>); a summary tier such as <c>rollup-1m</c> is a directory of its own
/// under the root. Its schema is the files' own and its partitioning the directory keys found, so a new tier needs no code.
/// </summary>
public sealed record LakeDataset(string Name, string Directory)
{
    /// <summary>The raw readings the sink writes, at the root.</summary>
    public const string Readings = "readings";

    /// <summary>The catalog's own directory under the root (not a dataset; outside every <c>**/*.parquet</c> glob's matches).</summary>
    public const string CatalogDirectory = "_catalog";

    /// <summary>The readings at the root, then every directory under the root (not hidden, not <c>_</c>, not <c>key=value</c>) that holds partitions.</summary>
    public static List<LakeDataset> Discover(LakeStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var found = new List<LakeDataset> { new(Readings, "") };
        foreach (var name in storage.Directories(""))
        {
            if (name.StartsWith('.') || name.StartsWith('_') || name.Contains('=')) continue;
            if (storage.Directories(name).Any(d => d.Contains('='))) found.Add(new(name, name));
        }
        return found;
    }

    /// <summary>The dataset called <paramref name="name"/>, or an error naming the ones there are.</summary>
    public static LakeDataset Find(LakeStorage storage, string name)
    {
        var all = Discover(storage);
        return all.FirstOrDefault(d => d.Name == name)
            ?? throw new ArgumentException($"Expected a dataset of the lake ({string.Join(", ", all.Select(d => d.Name))}), got '{name}'");
    }

    /// <summary>Every leaf <c>key=value/…</c> directory of the dataset, in ordinal order of its path.</summary>
    public IEnumerable<LakePartitionPath> Partitions(LakeStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return Walk(storage, "", []);
    }

    private IEnumerable<LakePartitionPath> Walk(LakeStorage storage, string relative, List<KeyValuePair<string, string>> values)
    {
        var children = storage.Directories(LakeStorage.Join(Directory, relative)).Where(d => d.Contains('=')).ToList();
        if (children.Count == 0)
        {
            if (values.Count > 0) yield return new LakePartitionPath(this, relative, values);
            yield break;
        }
        foreach (var child in children)
        {
            var eq = child.IndexOf('=');
            List<KeyValuePair<string, string>> next = [.. values, new(child[..eq], Uri.UnescapeDataString(child[(eq + 1)..]))];
            foreach (var p in Walk(storage, LakeStorage.Join(relative, child), next)) yield return p;
        }
    }
}

/// <summary>One partition directory of a dataset: its path under the dataset and its keys' values, in order (<c>site</c>, <c>date</c>, <c>hour</c>).</summary>
public sealed record LakePartitionPath(LakeDataset Dataset, string Path, List<KeyValuePair<string, string>> Values)
{
    /// <summary>The partition directory relative to the lake root.</summary>
    public string LakePath => LakeStorage.Join(Dataset.Directory, Path);

    public string? Value(string key) => Values.FirstOrDefault(v => v.Key == key).Value;

    /// <summary>
    /// The event-time range the directory names can hold, from <c>date=YYYY-MM-DD</c> and <c>hour=HH</c> when present
    /// (a day without an hour key); null when neither is there, so only the files' statistics can tell.
    /// </summary>
    public (DateTimeOffset Start, DateTimeOffset End)? NamedTimeRange()
    {
        if (Value("date") is not { } date || !DateTime.TryParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var day))
            return null;
        var start = new DateTimeOffset(day, TimeSpan.Zero);
        if (Value("hour") is { } hour && int.TryParse(hour, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var h) && h is >= 0 and < 24)
            return (start.AddHours(h), start.AddHours(h + 1));
        return (start, start.AddDays(1));
    }
}
