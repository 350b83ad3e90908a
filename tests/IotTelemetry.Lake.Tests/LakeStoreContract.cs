using System.Text;

namespace IotTelemetry.Lake.Tests;

/// <summary>
/// What every lake store must do, run against each implementation (a subclass per store): staged files stay invisible
/// until committed, a commit repeated after a crash changes nothing, a file removed since does not come back, small
/// documents are replaced whole.
/// </summary>
public abstract class LakeStoreContract : IDisposable
{
    protected abstract ILakeStore Store { get; }

    private static byte[] Content(int length, byte seed) => Enumerable.Range(0, length).Select(i => (byte)(i * 31 + seed)).ToArray();

    private PendingFile StageFile(string key, byte[] content)
    {
        using var upload = Store.BeginUpload(key);
        File.WriteAllBytes(upload.LocalPath, content);
        return upload.Stage();
    }

    [Fact]
    public void A_staged_file_is_invisible_until_committed_and_a_repeated_commit_changes_nothing()
    {
        var content = Content(3 * 1024 * 1024 + 17, 1); // more than one block on blob storage
        var pending = StageFile("lake/site=a/date=2026-03-01/hour=07/f.parquet", content);
        Assert.Equal(content.Length, pending.Length);
        Assert.False(Store.Exists(pending.Key));
        Assert.Empty(Store.List("lake"));

        Assert.Equal(CommitOutcome.Committed, Store.Commit(pending));
        Assert.True(Store.Exists(pending.Key));
        var entry = Assert.Single(Store.List("lake"));
        Assert.Equal((pending.Key, (long)content.Length, "f.parquet"), (entry.Key, entry.Length, entry.Name));
        using (var local = Store.Fetch(pending.Key)) Assert.Equal(content, File.ReadAllBytes(local.Path));

        Assert.Equal(CommitOutcome.AlreadyCommitted, Store.Commit(pending)); // recovery after a crash between commit and intent removal
        using (var stream = Store.OpenRead(pending.Key))
        {
            var back = new MemoryStream();
            stream.CopyTo(back);
            Assert.Equal(content, back.ToArray());
        }
    }

    [Fact]
    public void A_file_committed_and_deleted_since_is_gone_and_a_commit_does_not_bring_it_back()
    {
        var pending = StageFile("lake/site=a/date=2026-03-01/hour=07/g.parquet", Content(1000, 2));
        Store.Commit(pending);
        Store.Delete(pending.Key);
        Store.Delete(pending.Key); // no error the second time
        Assert.Equal(CommitOutcome.Gone, Store.Commit(pending));
        Assert.False(Store.Exists(pending.Key));
        Assert.Throws<FileNotFoundException>(() => Store.Fetch(pending.Key).Dispose());
    }

    [Fact]
    public void An_upload_disposed_without_staging_leaves_nothing_behind()
    {
        using (var upload = Store.BeginUpload("lake/site=a/date=2026-03-01/hour=07/h.parquet")) File.WriteAllBytes(upload.LocalPath, Content(10, 3));
        Assert.Empty(Store.List(""));
    }

    [Fact]
    public void Small_documents_are_replaced_whole_and_an_absent_one_reads_as_null()
    {
        Assert.Null(Store.ReadAllBytes("lake/_sink/telemetry-0.json"));
        Store.WriteAllBytes("lake/_sink/telemetry-0.json", Encoding.UTF8.GetBytes("{\"a\":1}"));
        Store.WriteAllBytes("lake/_sink/telemetry-0.json", Encoding.UTF8.GetBytes("{\"b\":2}"));
        Assert.Equal("{\"b\":2}", Encoding.UTF8.GetString(Store.ReadAllBytes("lake/_sink/telemetry-0.json")!));
        Assert.Equal(["lake/_sink/telemetry-0.json"], Store.List("lake").Select(e => e.Key));
    }

    [Fact]
    public void A_listing_is_recursive_in_key_order_and_holds_only_keys_below_its_prefix()
    {
        string[] keys = ["lake/site=b/date=2026-03-01/hour=07/x.parquet", "lake/site=a/date=2026-03-01/hour=08/y.parquet",
            "lake/site=a/date=2026-03-01/hour=07/z.parquet", "lakeside/other.json", "rollup-1m/site=a/date=2026-03-01/r.parquet"];
        foreach (var key in keys) Store.WriteAllBytes(key, [1, 2, 3]);
        Assert.Equal(keys.Where(k => k.StartsWith("lake/", StringComparison.Ordinal)).Order(StringComparer.Ordinal), Store.List("lake").Select(e => e.Key));
        Assert.Equal(5, Store.List("").Count());
        var dataset = new LakeDataset(Store, "lake");
        Assert.Equal(["site=a/date=2026-03-01/hour=07", "site=a/date=2026-03-01/hour=08", "site=b/date=2026-03-01/hour=07"], dataset.Partitions());
        Assert.Equal(["lake/site=a/date=2026-03-01/hour=07/z.parquet"], dataset.DataFiles("site=a/date=2026-03-01/hour=07").Select(e => e.Key));
        Assert.Throws<ArgumentException>(() => Store.Exists("lake/../secret"));
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>The contract on a local directory.</summary>
public sealed class LocalLakeStoreTests : LakeStoreContract
{
    private readonly string _dir = TestKit.RepoPaths.NewTempDirectory("lake-store");

    public LocalLakeStoreTests() => Store = new LocalLakeStore(_dir);

    protected override ILakeStore Store { get; }

    public override void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        base.Dispose();
    }
}

/// <summary>An intent the sink wrote before the lake had a store (plain paths) is still finished after an upgrade.</summary>
public sealed class LegacyIntentTests : IDisposable
{
    private readonly string _dir = TestKit.RepoPaths.NewTempDirectory("lake-legacy");

    [Fact]
    public void An_intent_of_the_previous_format_is_read_and_its_renames_are_finished()
    {
        var dataset = LakeDataset.Local(Path.Combine(_dir, "lake"));
        var partition = Path.Combine(_dir, "lake", "site=a", "date=2026-03-01", "hour=07");
        Directory.CreateDirectory(partition);
        File.WriteAllBytes(Path.Combine(partition, ".telemetry-000-1-2.parquet.tmp"), [1, 2, 3]);
        Directory.CreateDirectory(Path.Combine(_dir, "lake", "_sink"));
        File.WriteAllText(Path.Combine(_dir, "lake", "_sink", "telemetry-0.json"),
            "{\"topic\":\"telemetry\",\"partition\":0,\"firstOffset\":1,\"lastOffset\":2,\"files\":[\"site=a/date=2026-03-01/hour=07/telemetry-000-1-2.parquet\"]}");

        var intent = LakeIntent.Read(dataset, "telemetry", 0)!;
        Assert.Equal((1L, 2L), (intent.FirstOffset, intent.LastOffset));
        intent.Complete(dataset.Store);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(partition, "telemetry-000-1-2.parquet")));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
