using IotTelemetry.Lake;

namespace IotTelemetry.LakeTool;

/// <summary>
/// Where a command's lake is, as the command line gave it: <c>--root DIR</c> for a directory (the default
/// <c>--store local</c>), or <c>--store azure</c> with <c>--container</c>, <c>--prefix</c> and <c>--dataset</c>
/// (the rest of the store's settings come from the environment, see <see cref="LakeToolStore"/>).
/// </summary>
public sealed record LakeLocation(string? Root = null, string? Store = null, string? Container = null, string? Prefix = null, string? Dataset = null)
{
    /// <summary>The lake is on blob storage (<c>--store azure</c>, any case).</summary>
    public bool IsAzure => Store is not null && Store.Equals(LakeStoreOptions.Azure, StringComparison.OrdinalIgnoreCase);
}
