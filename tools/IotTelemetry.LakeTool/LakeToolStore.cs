using System.Globalization;
using IotTelemetry.Lake;

namespace IotTelemetry.LakeTool;

/// <summary>
/// The lake a command works on: <c>--root DIR</c> (a local directory, the default <c>--store local</c>) or
/// <c>--store azure</c> with the cloud host's <c>Lake:Store</c> settings taken from the environment under the same names
/// (<c>Lake__Store__ConnectionString</c>, <c>Lake__Store__AccountUrl</c>, <c>Lake__Store__Auth</c>, ...: secrets stay off
/// the command line), and <c>--container</c>, <c>--prefix</c>, <c>--dataset</c> (default <c>lake</c>) on it.
/// </summary>
internal static class LakeToolStore
{
    public static LakeDataset Open(LakeLocation where, string command)
    {
        ArgumentNullException.ThrowIfNull(where);
        if (where.Store is { } kind && !kind.Equals(LakeStoreOptions.Local, StringComparison.OrdinalIgnoreCase) && !where.IsAzure)
            throw new ArgumentException($"Expected --store local or azure, got '{kind}'");
        if (!where.IsAzure)
            return LakeDataset.Local(where.Root ?? throw new ArgumentException($"Expected --root for {command} (or --store azure)"));

        string? Env(string name) => Environment.GetEnvironmentVariable("Lake__Store__" + name) is { Length: > 0 } v ? v : null;
        var store = new LakeStoreOptions
        {
            Kind = LakeStoreOptions.Azure,
            ConnectionString = Env("ConnectionString"),
            AccountUrl = Env("AccountUrl"),
            Auth = Env("Auth") ?? "default",
            AccountName = Env("AccountName"),
            AccountKey = Env("AccountKey"),
            SasToken = Env("SasToken"),
            ManagedIdentityClientId = Env("ManagedIdentityClientId"),
            Container = where.Container ?? Env("Container"),
            Prefix = where.Prefix ?? Env("Prefix"),
            CaFile = Env("CaFile"),
            MaxRetries = Env("MaxRetries") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 5,
            BlockSizeBytes = Env("BlockSizeBytes") is { } b ? int.Parse(b, CultureInfo.InvariantCulture) : 8 * 1024 * 1024,
        };
        var problems = store.Problems("Lake:Store");
        if (problems.Count > 0) throw new ArgumentException("Expected the lake's store settings (environment Lake__Store__*, --container, --prefix):\n  " + string.Join("\n  ", problems));
        var scratch = Path.Combine(Path.GetTempPath(), "iott-lake-scratch"); // staged and fetched files are deleted when done
        return new LakeDataset(LakeStores.OpenAzure(store, scratch), where.Dataset ?? "lake");
    }
}
