using IotTelemetry.Common.Configuration;
using IotTelemetry.Lake;
using ParquetSharp;

namespace IotTelemetry.Cloud.Lake;

/// <summary>Section <c>Lake</c>: the Parquet sink.</summary>
public sealed class LakeOptions
{
    public bool Enabled { get; set; } = true;

    public string GroupId { get; set; } = "iott-lake";

    /// <summary>Root of the Hive layout: a directory (relative paths are under Cloud:DataDir), or on blob storage the key prefix in the container.</summary>
    public string Root { get; set; } = "lake";

    /// <summary>Section <c>Lake:Store</c>: a local directory (the default) or an Azure Blob Storage / ADLS container.</summary>
    public LakeStoreOptions Store { get; set; } = new();

    /// <summary>snappy, gzip, zstd or none.</summary>
    public string Compression { get; set; } = "snappy";

    /// <summary>A batch (one file per event-time partition it touches) closes at this many rows...</summary>
    public int MaxRowsPerFile { get; set; } = 500_000;

    /// <summary>...or at about this many bytes of buffered data...</summary>
    public long MaxBytesPerFile { get; set; } = 128L * 1024 * 1024;

    /// <summary>...or when a reading's event time is this far past the batch's first reading (event time, so a replay cuts the same files)...</summary>
    public TimeSpan MaxEventSpan { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>...or when nothing new arrived on its partition for this long (wall clock).</summary>
    public TimeSpan IdleFlush { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A file's rows are cut into row groups of about this many bytes uncompressed (fixed-width columns plus string bytes).</summary>
    public long RowGroupTargetBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How often the host rewrites the lake's catalog (<c>_catalog/{dataset}.json</c>); zero turns that off (then only <c>iott-lake catalog</c> writes it).</summary>
    public TimeSpan CatalogInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The raw readings' dataset in the configured store (as the sink opens it), for the Flight endpoint and the catalog refresh.</summary>
    public LakeDataset OpenDataset(string dataDir) => LakeStores.OpenDataset(Store, dataDir, Root);

    public Compression Codec => LakeParquet.ParseCompression(Compression) ?? ParquetSharp.Compression.Snappy;

    public void Validate(ConfigErrors errors)
    {
        if (!Enabled) return;
        errors.RequireNotEmpty(GroupId, "Lake:GroupId");
        errors.RequireNotEmpty(Root, "Lake:Root", "a directory for the Parquet files");
        foreach (var problem in Store.Problems("Lake:Store")) errors.AddMessage(problem);
        if (Store.IsAzure && !string.IsNullOrWhiteSpace(Root))
        {
            try { LakeKeys.Check(Root.Trim('/')); }
            catch (ArgumentException) { errors.Add("Lake:Root", "a key prefix of '/'-separated names in the container (Lake:Store:Kind azure)", Root); }
        }
        errors.Require(LakeParquet.ParseCompression(Compression) is not null, "Lake:Compression", "snappy, gzip, zstd or none", Compression);
        errors.RequireRange(MaxRowsPerFile, 1, 100_000_000, "Lake:MaxRowsPerFile");
        errors.RequireRange(MaxBytesPerFile, 1024, 16L * 1024 * 1024 * 1024, "Lake:MaxBytesPerFile");
        errors.RequirePositive(MaxEventSpan, "Lake:MaxEventSpan");
        errors.RequirePositive(IdleFlush, "Lake:IdleFlush");
        errors.RequireRange(RowGroupTargetBytes, 64 * 1024, 1024L * 1024 * 1024, "Lake:RowGroupTargetBytes");
        errors.Require(CatalogInterval >= TimeSpan.Zero, "Lake:CatalogInterval", "a duration, or 00:00:00 for no refresh by the host", CatalogInterval);
    }
}
