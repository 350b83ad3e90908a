using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>Wrong Lake:Store settings stop the host at start naming each key, never showing a secret; TLS to the blob endpoint is checked.</summary>
public sealed class LakeStoreConfigTests
{
    [Fact]
    public async Task Bad_store_settings_stop_the_cloud_host_naming_every_key_without_the_secrets()
    {
        await using var cloud = Programs.Start(Programs.CloudDll, new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = RepoPaths.NewTempDirectory("lake-config"),
            ["Cloud:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Detector:Enabled"] = "false",
            ["Lake:Root"] = "../outside",
            ["Lake:Store:Kind"] = "azure",
            ["Lake:Store:Container"] = "Bad_Name",
            ["Lake:Store:AccountUrl"] = "http://storage.example.com",
            ["Lake:Store:Auth"] = "shared-key",
            ["Lake:Store:AccountKey"] = "not-base64-secret-3!",
            ["Lake:Store:BlockSizeBytes"] = "10",
        });
        Assert.Equal(2, await cloud.WaitForExitAsync());
        var output = cloud.Output;
        foreach (var key in new[] { "Lake:Root", "Lake:Store:Container", "Lake:Store:AccountUrl: expected an https URL", "Lake:Store:AccountKey", "Lake:Store:BlockSizeBytes" })
            Assert.Contains(key, output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-base64-secret-3!", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_way_to_reach_the_account_is_checked_and_no_secret_is_shown()
    {
        static IReadOnlyList<string> Problems(LakeStoreOptions o) => o.Problems("Lake:Store");
        Assert.Empty(Problems(new LakeStoreOptions()));
        Assert.Contains("Lake:Store:Kind: expected local or azure, got 's3'", Problems(new LakeStoreOptions { Kind = "s3" }));
        Assert.Contains("exactly one of them", Assert.Single(Problems(new LakeStoreOptions { Kind = "azure", Container = "lake" })));

        var garbage = Problems(new LakeStoreOptions { Kind = "azure", Container = "lake", ConnectionString = "AccountKey=secret-4;garbage" });
        Assert.Contains("Lake:Store:ConnectionString: expected a storage connection string", Assert.Single(garbage));
        Assert.DoesNotContain("secret-4", garbage[0], StringComparison.Ordinal);
        var remoteHttp = Problems(new LakeStoreOptions
        {
            Kind = "azure", Container = "lake",
            ConnectionString = "DefaultEndpointsProtocol=http;AccountName=a;AccountKey=c2VjcmV0LTU=;BlobEndpoint=http://10.1.2.3:10000/a;",
        });
        Assert.Equal("Lake:Store:ConnectionString: expected an https blob endpoint (http only to a loopback emulator), got 'http://10.1.2.3:10000'", Assert.Single(remoteHttp));

        Assert.Contains("Lake:Store:SasToken: expected a SAS token", Assert.Single(Problems(new LakeStoreOptions
            { Kind = "azure", Container = "lake", AccountUrl = "https://a.blob.core.windows.net", Auth = "sas", SasToken = "secret-6" })));
        Assert.Contains("Lake:Store:AccountUrl", Assert.Single(Problems(new LakeStoreOptions
            { Kind = "azure", Container = "lake", AccountUrl = "https://a.blob.core.windows.net/?sv=1&sig=secret-7", Auth = "managed-identity" })));
        Assert.Empty(Problems(new LakeStoreOptions { Kind = "azure", Container = "lake", AccountUrl = "https://a.blob.core.windows.net", Auth = "managed-identity" }));
        Assert.Contains("Lake:Store:Auth: expected shared-key, sas, managed-identity or default, got 'password'", Problems(new LakeStoreOptions
            { Kind = "azure", Container = "lake", AccountUrl = "https://a.blob.core.windows.net", Auth = "password" }));
    }

    [Fact]
    public async Task Over_https_the_store_trusts_the_configured_CA_and_refuses_a_server_it_cannot_verify()
    {
        var certificates = await TestCertificates.CreateAsync(RepoPaths.NewTempDirectory("azurite-tls"));
        await using var azurite = await AzuriteServer.StartNewAsync(certificates);
        var scratch = RepoPaths.NewTempDirectory("azurite-tls-scratch");
        var options = new LakeStoreOptions { Kind = "azure", ConnectionString = azurite.ConnectionString, Container = "tls", CreateContainer = true, CaFile = certificates.CaCertificate };
        Assert.Empty(options.Problems("Lake:Store"));
        var store = LakeStores.OpenAzure(options, scratch);
        store.WriteAllBytes("lake/_sink/x.json", [1, 2, 3]);
        Assert.Equal([1, 2, 3], store.ReadAllBytes("lake/_sink/x.json"));
        Assert.StartsWith("https://127.0.0.1:", store.Location, StringComparison.Ordinal);

        options.CaFile = null;
        options.MaxRetries = 0;
        var refused = Assert.Throws<LakeStoreException>(() => LakeStores.OpenAzure(options, scratch));
        Assert.Contains("check the container", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(azurite.AccountKey, refused.Message, StringComparison.Ordinal);
    }
}
