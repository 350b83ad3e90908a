using System.Globalization;
using IotTelemetry.Lake.Internal;

namespace IotTelemetry.Lake;

/// <summary>
/// Section <c>Lake:Store</c>: where the lake lives. <c>local</c> (the default) is a directory under <c>Cloud:DataDir</c>;
/// <c>azure</c> is a container of Azure Blob Storage or ADLS Gen2 (through its blob endpoint), reached with a connection
/// string, or an account URL with a shared key, a SAS token, a managed identity or the default Azure credential chain.
/// </summary>
public sealed class LakeStoreOptions
{
    public const string Local = "local";
    public const string Azure = "azure";

    /// <summary><c>local</c> or <c>azure</c>.</summary>
    public string Kind { get; set; } = Local;

    /// <summary>A storage connection string (secret: holds an account key or a SAS). Instead of <see cref="AccountUrl"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>https://ACCOUNT.blob.core.windows.net</c> (also for ADLS Gen2 accounts); with <see cref="Auth"/>.</summary>
    public string? AccountUrl { get; set; }

    /// <summary>With <see cref="AccountUrl"/>: <c>shared-key</c>, <c>sas</c>, <c>managed-identity</c> or <c>default</c> (DefaultAzureCredential).</summary>
    public string Auth { get; set; } = "default";

    /// <summary>For <c>shared-key</c>: the account name (default: the first label of the account URL's host).</summary>
    public string? AccountName { get; set; }

    /// <summary>For <c>shared-key</c>: the base64 account key (secret).</summary>
    public string? AccountKey { get; set; }

    /// <summary>For <c>sas</c>: the SAS token, with or without its leading '?' (secret).</summary>
    public string? SasToken { get; set; }

    /// <summary>For <c>managed-identity</c>: the client id of a user-assigned identity (none: the system-assigned one).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The blob container (3-63 lower-case letters, digits and dashes).</summary>
    public string? Container { get; set; }

    /// <summary>A key prefix inside the container, so several lakes can share one (e.g. <c>plant-a</c>); none by default.</summary>
    public string? Prefix { get; set; }

    /// <summary>Create the container when it does not exist (needs a credential allowed to; off for production).</summary>
    public bool CreateContainer { get; set; }

    /// <summary>A staged file is sent as blocks of this size; a file of up to 50,000 blocks.</summary>
    public int BlockSizeBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>A PEM file of CA certificates trusted for the blob endpoint besides the system's (a private CA, a TLS emulator).</summary>
    public string? CaFile { get; set; }

    /// <summary>Per try of a request; the SDK retries with back-off.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>How often the SDK retries a failed request (exponential back-off) before the operation fails.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>Where staged files and downloaded copies are kept locally (default: <c>.lake-scratch</c> under the data directory).</summary>
    public string? ScratchDir { get; set; }

    public bool IsAzure => string.Equals(Kind, Azure, StringComparison.OrdinalIgnoreCase);

    /// <summary>The configuration problems, each phrased with its key under <paramref name="section"/> (e.g. <c>Lake:Store</c>); secrets are never shown.</summary>
    public IReadOnlyList<string> Problems(string section)
    {
        var problems = new List<string>();
        void Add(string key, string expected, string? actual) =>
            problems.Add($"{section}:{key}: expected {expected}, got {(actual is null ? "nothing" : actual.Length == 0 ? "an empty value" : $"'{actual}'")}");
        void AddSecret(string key, string expected) => problems.Add($"{section}:{key}: expected {expected}");

        if (!IsAzure)
        {
            if (!string.Equals(Kind, Local, StringComparison.OrdinalIgnoreCase)) Add("Kind", "local or azure", Kind);
            return problems;
        }
        if (string.IsNullOrWhiteSpace(Container) || Container.Length is < 3 or > 63 || Container.StartsWith('-') || Container.EndsWith('-')
            || Container.Contains("--", StringComparison.Ordinal) || !Container.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            Add("Container", "a container name (3-63 lower-case letters, digits and single dashes)", Container);
        if (!string.IsNullOrEmpty(Prefix))
        {
            try { LakeKeys.Check(Prefix.Trim('/')); }
            catch (ArgumentException) { Add("Prefix", "a key prefix of '/'-separated names", Prefix); }
        }
        if (BlockSizeBytes is < 64 * 1024 or > 256 * 1024 * 1024)
            Add("BlockSizeBytes", $"a number from {64 * 1024} to {256 * 1024 * 1024}", BlockSizeBytes.ToString(CultureInfo.InvariantCulture));
        if (MaxRetries is < 0 or > 20) Add("MaxRetries", "a number from 0 to 20", MaxRetries.ToString(CultureInfo.InvariantCulture));
        if (Timeout <= TimeSpan.Zero) Add("Timeout", "a positive duration (e.g. 00:01:40)", Timeout.ToString());
        if (!string.IsNullOrEmpty(CaFile) && !File.Exists(CaFile)) Add("CaFile", "a PEM file of CA certificates", CaFile);

        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        var hasUrl = !string.IsNullOrWhiteSpace(AccountUrl);
        if (hasConnectionString == hasUrl)
        {
            problems.Add($"{section}:ConnectionString / {section}:AccountUrl: expected exactly one of them for Kind azure, got {(hasUrl ? "both" : "neither")}");
            return problems;
        }
        if (hasConnectionString)
        {
            if (AzureEndpoint.FromConnectionString(ConnectionString!) is not { } endpoint)
                AddSecret("ConnectionString", "a storage connection string (AccountName=...;AccountKey=... or BlobEndpoint=...;SharedAccessSignature=...)");
            else if (!AzureEndpoint.IsSecureOrLoopback(endpoint))
                Add("ConnectionString", "an https blob endpoint (http only to a loopback emulator)", endpoint.GetLeftPart(UriPartial.Authority));
            return problems;
        }
        if (!Uri.TryCreate(AccountUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(url.Query))
            Add("AccountUrl", "https://ACCOUNT.blob.core.windows.net (no query: a SAS goes in SasToken)", AccountUrl);
        else if (!AzureEndpoint.IsSecureOrLoopback(url))
            Add("AccountUrl", "an https URL (http only to a loopback emulator)", AccountUrl);
        switch (Auth.ToLowerInvariant())
        {
            case "shared-key":
                if (string.IsNullOrWhiteSpace(AccountKey) || !IsBase64(AccountKey)) AddSecret("AccountKey", "the base64 account key for Auth shared-key");
                break;
            case "sas":
                if (string.IsNullOrWhiteSpace(SasToken) || !SasToken.Contains("sig=", StringComparison.Ordinal)) AddSecret("SasToken", "a SAS token (sv=...&sig=...) for Auth sas");
                break;
            case "managed-identity":
            case "default":
                break;
            default:
                Add("Auth", "shared-key, sas, managed-identity or default", Auth);
                break;
        }
        return problems;
    }

    private static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out _);
}
