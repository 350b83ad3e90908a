using IotTelemetry.Lake.Catalog;
using IotTelemetry.LakeTool;

namespace IotTelemetry.Lake.Tests;

/// <summary>The catalog and lineage over the same lake on Azurite (blob storage) as on disk: the same entries, kept in the container.</summary>
public sealed class CatalogAzuriteTests(MirroredLake lake, AzuriteFixture azurite) : IClassFixture<MirroredLake>, IClassFixture<AzuriteFixture>
{
    [Fact]
    public void The_catalog_of_the_lake_copied_to_blob_storage_equals_the_one_on_disk_and_is_kept_in_the_container()
    {
        var store = azurite.NewStore();
        foreach (var file in LakeFiles.Visible(lake.Root))
        {
            using var upload = store.BeginUpload("lake/" + Path.GetRelativePath(lake.Root, file).Replace(Path.DirectorySeparatorChar, '/'));
            File.Copy(file, upload.LocalPath, overwrite: true);
            store.Commit(upload.Stage());
        }
        var local = LakeDataset.Local(lake.Root);
        var onDisk = new CatalogBuilder(local.Store, local.Path).Build(local, 365, [], DateTimeOffset.UtcNow);

        var catalogs = new CatalogBuilder(store, "lake").WriteAll(new RetentionPolicy().DaysFor, [], DateTimeOffset.UtcNow);
        var onBlob = Assert.Single(catalogs);
        Assert.Equal(onDisk.Totals, onBlob.Totals);
        Assert.Equal(onDisk.Partitions.Select(p => (p.Path, p.Rows, p.MinTime, p.MaxTime)), onBlob.Partitions.Select(p => (p.Path, p.Rows, p.MinTime, p.MaxTime)));
        Assert.Equal(onDisk.Lineage.EdgeTopics, onBlob.Lineage.EdgeTopics);
        Assert.Equal(onDisk.Lineage.CloudTopics, onBlob.Lineage.CloudTopics);
        Assert.Equal(onDisk.Lineage.Sources, onBlob.Lineage.Sources);
        Assert.NotNull(store.ReadAllBytes("_catalog/lake.json"));

        var partition = onBlob.Partitions[0].Path;
        var footers = LakeLineageLookup.Footers(new LakeDataset(store, "lake"), partition);
        Assert.Equal(onBlob.Partitions[0].Rows, footers.Sum(f => f.Rows));
        Assert.All(footers, f => Assert.True(f.LineageRecorded));
    }
}
