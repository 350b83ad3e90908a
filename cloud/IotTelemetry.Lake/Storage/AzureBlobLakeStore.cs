using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using IotTelemetry.Lake.Internal;

namespace IotTelemetry.Lake;

/// <summary>
/// A store over an Azure Blob Storage (or ADLS Gen2) container, keys as blob names below an optional prefix. A data file
/// is a block blob: <see cref="LakeUpload.Stage"/> sends the file as blocks with ids fixed by their index (Put Block;
/// uncommitted blocks are invisible to every reader and listing), and <see cref="Commit"/> is one Put Block List with
/// <c>If-None-Match: *</c>, so the blob appears whole in one step, an existing one is never overwritten (a repeated commit
/// reports <see cref="CommitOutcome.AlreadyCommitted"/>) and a blob deleted since cannot come back (its blocks went with it:
/// <see cref="CommitOutcome.Gone"/>). Small documents are one Put Blob, which replaces a blob in one step.
/// </summary>
public sealed partial class AzureBlobLakeStore : ILakeStore
{
    private readonly BlobContainerClient _container;
    private readonly string _prefix;
    private readonly string _scratch;
    private readonly int _blockSize;

    public AzureBlobLakeStore(BlobContainerClient container, string? prefix, string scratchDirectory, int blockSizeBytes = 8 * 1024 * 1024)
    {
        _container = container ?? throw new ArgumentNullException(nameof(container));
        _prefix = string.IsNullOrEmpty(prefix) ? "" : LakeKeys.Check(prefix.Trim('/'));
        _scratch = Path.GetFullPath(scratchDirectory);
        _blockSize = blockSizeBytes;
        Directory.CreateDirectory(_scratch);
    }

    public string Location => AzureEndpoint.Printable(_container.Uri) + (_prefix.Length > 0 ? "/" + _prefix : "");

    public string Describe(string key) => Location + "/" + LakeKeys.Check(key, allowEmpty: true);

    private string BlobName(string key) => LakeKeys.Combine(_prefix, LakeKeys.Check(key, allowEmpty: true));

    private BlockBlobClient Blob(string key) => _container.GetBlockBlobClient(BlobName(key));

    /// <summary>Creates the container if it is missing (with <c>Lake:Store:CreateContainer</c>), else fails naming it when it does not exist.</summary>
    public void EnsureContainer(bool create)
    {
        var exists = Call("check the container", "", () => _container.Exists().Value);
        if (exists) return;
        if (!create)
            throw new LakeStoreException($"Expected the container {AzureEndpoint.Printable(_container.Uri)} (Lake:Store:Container) to exist; it does not, and Lake:Store:CreateContainer is false", isTransient: false);
        Call("create the container", "", () => _container.CreateIfNotExists());
    }

    public IEnumerable<LakeEntry> List(string prefix)
    {
        var name = BlobName(prefix);
        var listPrefix = name.Length == 0 ? null : name + "/";
        return Call("list", prefix, () =>
        {
            var entries = new List<LakeEntry>();
            foreach (var item in _container.GetBlobs(BlobTraits.Metadata, BlobStates.None, listPrefix, CancellationToken.None))
            {
                // ADLS Gen2 (hierarchical namespace) lists its directories as empty blobs marked hdi_isfolder.
                if (item.Metadata is { } m && m.TryGetValue("hdi_isfolder", out var folder) && folder == "true") continue;
                var key = _prefix.Length == 0 ? item.Name : LakeKeys.Below(item.Name, _prefix);
                if (key is null) continue;
                entries.Add(new LakeEntry(key, item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? DateTimeOffset.MinValue));
            }
            entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return entries;
        });
    }

    public bool Exists(string key) => Call("check", key, () => Blob(key).Exists().Value);

    public Stream OpenRead(string key) =>
        Call("open", key, () => (Stream)Blob(key).OpenRead(new BlobOpenReadOptions(allowModifications: false) { BufferSize = 4 * 1024 * 1024 }));

    public LakeLocalFile Fetch(string key)
    {
        var path = Path.Combine(_scratch, "fetch-" + Guid.NewGuid().ToString("N")[..12] + "-" + LakeKeys.Name(key));
        try
        {
            Call("download", key, () => Blob(key).DownloadTo(path));
            return new LakeLocalFile(path, temporary: true);
        }
        catch
        {
            try { File.Delete(path); } catch (IOException) { }
            throw;
        }
    }

    public byte[]? ReadAllBytes(string key)
    {
        try { return Call("read", key, () => Blob(key).DownloadContent().Value.Content.ToArray()); }
        catch (FileNotFoundException) { return null; }
    }

    public void WriteAllBytes(string key, ReadOnlySpan<byte> content)
    {
        var data = BinaryData.FromBytes(content.ToArray());
        Call("write", key, () => _container.GetBlobClient(BlobName(key)).Upload(data, overwrite: true));
    }

    public LakeUpload BeginUpload(string key)
    {
        LakeKeys.Check(key);
        return new AzureUpload(this, key, Path.Combine(_scratch, "upload-" + Guid.NewGuid().ToString("N")[..12] + "-" + LakeKeys.Name(key)));
    }

    public CommitOutcome Commit(PendingFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var options = new CommitBlockListOptions
        {
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = new BlobHttpHeaders { ContentType = file.Key.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "application/octet-stream" },
        };
        try
        {
            Blob(file.Key).CommitBlockList(file.Blocks, options);
            return CommitOutcome.Committed;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return CommitOutcome.AlreadyCommitted; // If-None-Match: * failed: the blob is there
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == "InvalidBlockList")
        {
            return CommitOutcome.Gone; // no such blocks and no blob: committed once and deleted since
        }
        catch (Exception ex) when (IsTransport(ex))
        {
            throw Fault("commit", file.Key, ex);
        }
    }

    public void Delete(string key) => Call("delete", key, () => Blob(key).DeleteIfExists(DeleteSnapshotsOption.IncludeSnapshots));

    /// <summary>Block ids of one blob must all have the same length: the index, zero-padded, base64.</summary>
    internal static string BlockId(int index) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"iott-block-{index:D6}"));

    private sealed class AzureUpload(AzureBlobLakeStore store, string key, string localPath) : LakeUpload(key, localPath)
    {
        public override PendingFile Stage()
        {
            var blob = store.Blob(Key);
            var blocks = new List<string>();
            using var file = new FileStream(LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var length = file.Length;
            var buffer = new byte[(int)Math.Min(store._blockSize, Math.Max(1, length))];
            for (long sent = 0; sent < length;)
            {
                var n = file.ReadAtLeast(buffer, (int)Math.Min(buffer.Length, length - sent), throwOnEndOfStream: true);
                var id = BlockId(blocks.Count);
                using var chunk = new MemoryStream(buffer, 0, n, writable: false);
                store.Call("stage a block of", Key, () => blob.StageBlock(id, chunk));
                blocks.Add(id);
                sent += n;
            }
            return new PendingFile(Key, length, blocks);
        }

        public override void Dispose()
        {
            try { File.Delete(LocalPath); } catch (IOException) { } // staged or not, the local copy is done with
        }
    }
}
