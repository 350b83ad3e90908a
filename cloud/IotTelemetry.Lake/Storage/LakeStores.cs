using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace IotTelemetry.Lake;

/// <summary>Opens the store and the raw readings' dataset that <see cref="LakeStoreOptions"/> describe (validated first: <see cref="LakeStoreOptions.Problems"/>).</summary>
public static class LakeStores
{
    /// <summary>
    /// The raw readings: a local directory <paramref name="lakeRoot"/> under <paramref name="dataDir"/>, or the dataset
    /// <paramref name="lakeRoot"/> (a key prefix such as <c>lake</c>) in the configured container.
    /// </summary>
    public static LakeDataset OpenDataset(LakeStoreOptions options, string dataDir, string lakeRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsAzure) return LakeDataset.Local(Path.Combine(dataDir, lakeRoot));
        return new LakeDataset(OpenAzure(options, dataDir), lakeRoot.Trim('/'));
    }

    public static AzureBlobLakeStore OpenAzure(LakeStoreOptions options, string dataDir)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.NetworkTimeout = options.Timeout;
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        if (!string.IsNullOrEmpty(options.CaFile)) clientOptions.Transport = new HttpClientTransport(TrustingAlso(options.CaFile));
        var container = options.Container!;
        BlobContainerClient client;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString)) client = new BlobContainerClient(options.ConnectionString, container, clientOptions);
        else
        {
            var account = new Uri(options.AccountUrl!.TrimEnd('/') + "/");
            var uri = new Uri(account, container);
            client = options.Auth.ToLowerInvariant() switch
            {
                "shared-key" => new BlobContainerClient(uri, new StorageSharedKeyCredential(options.AccountName ?? AccountNameOf(account), options.AccountKey), clientOptions),
                "sas" => new BlobContainerClient(uri, new AzureSasCredential(options.SasToken!.TrimStart('?')), clientOptions),
                "managed-identity" => new BlobContainerClient(uri, ManagedIdentity(options.ManagedIdentityClientId), clientOptions),
                _ => new BlobContainerClient(uri, new DefaultAzureCredential(), clientOptions),
            };
        }
        var scratch = string.IsNullOrEmpty(options.ScratchDir) ? Path.Combine(dataDir, ".lake-scratch") : Path.Combine(dataDir, options.ScratchDir);
        var store = new AzureBlobLakeStore(client, options.Prefix, scratch, options.BlockSizeBytes);
        store.EnsureContainer(options.CreateContainer);
        return store;
    }

    private static TokenCredential ManagedIdentity(string? clientId) =>
        new ManagedIdentityCredential(string.IsNullOrWhiteSpace(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId));

    /// <summary>The account a URL names: the first host label (<c>acct.blob.core.windows.net</c>), or the first path segment of an emulator's <c>http://127.0.0.1:10000/acct</c>.</summary>
    private static string AccountNameOf(Uri account) =>
        account.IsLoopback || IPAddress.TryParse(account.Host, out _) ? account.AbsolutePath.Trim('/').Split('/')[0] : account.Host.Split('.')[0];

    /// <summary>An HTTP client that accepts the system's CAs and also those in <paramref name="caFile"/>.</summary>
    private static HttpClient TrustingAlso(string caFile)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caFile);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (errors == SslPolicyErrors.None) return true;
                    if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            },
        };
        return new HttpClient(handler);
    }
}
