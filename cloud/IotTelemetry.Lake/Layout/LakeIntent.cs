namespace IotTelemetry.Lake;

/// <summary>
/// The sink's write-ahead record for one Kafka partition: the offsets of its last batch and the staged files that hold
/// it. Written (in one step, in the store) after every file is staged and before any is committed; at start-up an
/// intent is completed (commits redone, idempotently) and the partition resumes after its last offset. Offsets are
/// committed to Kafka only after the commits. So a crash at any point leaves each reading in the lake exactly once.
/// </summary>
public sealed record LakeIntent(string Topic, int Partition, long FirstOffset, long LastOffset, List<PendingFile> Files)
{
    /// <summary>Where the intent of <paramref name="topic"/>[<paramref name="partition"/>] is kept: <c>lake/_sink/telemetry-3.json</c>.</summary>
    public static string KeyFor(LakeDataset dataset, string topic, int partition)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Key(LakeLayout.SinkDirectory, $"{topic}-{partition}.json");
    }

    /// <summary>
    /// The intent of <paramref name="topic"/>[<paramref name="partition"/>], or null. An intent written before the lake had
    /// a store (its <c>files</c> plain paths under the lake root) is read too, so an upgraded sink finishes it.
    /// </summary>
    public static LakeIntent? Read(LakeDataset dataset, string topic, int partition)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var key = KeyFor(dataset, topic, partition);
        try { return dataset.Store.ReadJson(key, LakeJson.Default.LakeIntent); }
        catch (InvalidDataException)
        {
            var legacy = dataset.Store.ReadJson(key, LakeJson.Default.LegacyLakeIntent);
            return legacy is null ? null
                : new LakeIntent(legacy.Topic, legacy.Partition, legacy.FirstOffset, legacy.LastOffset,
                    legacy.Files.Select(f => new PendingFile(dataset.Key(f), -1, [])).ToList());
        }
    }

    public void Write(LakeDataset dataset) => dataset.Store.WriteJson(KeyFor(dataset, Topic, Partition), this, LakeJson.Default.LakeIntent);

    /// <summary>Commits every file of the intent (idempotent: a file committed before, or removed since, stays as it is).</summary>
    public void Complete(ILakeStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        foreach (var file in Files) store.Commit(file);
    }
}

/// <summary>The intent as the sink wrote it before the store: files as paths relative to the lake root, renamed from <c>.name.tmp</c>.</summary>
internal sealed record LegacyLakeIntent(string Topic, int Partition, long FirstOffset, long LastOffset, List<string> Files);
