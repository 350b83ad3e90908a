using IotTelemetry.Lake;
using IotTelemetry.Lake.Catalog;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IotTelemetry.Cloud.Lake;

/// <summary>
/// Keeps the lake's catalog current: every <c>Lake:CatalogInterval</c> it rewrites <c>_catalog/{dataset}.json</c> for every
/// dataset from the files' footers. The retention stated is the host's <c>Retention</c> section, the one
/// <c>iott-lake retention --config</c> enforces. What the host cannot know is carried over from the entry it replaces: the
/// vendor shares (given to <c>iott-lake catalog --vendors</c>). A failed refresh is logged and
/// tried again at the next interval; it never stops the host.
/// </summary>
public sealed class LakeCatalogService(IOptions<CloudHostOptions> host, IOptions<LakeOptions> lake, IOptions<RetentionPolicy> retention, ILogger<LakeCatalogService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(lake.Value.CatalogInterval);
        do
        {
            try
            {
                Refresh();
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or ParquetSharp.ParquetException or UnauthorizedAccessException)
            {
                CatalogFailed(ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Rewrites every dataset's entry once.</summary>
    public void Refresh()
    {
        var now = DateTimeOffset.UtcNow; // taken before the entries are read: an entry stamped later carries over all written before it
        var raw = lake.Value.OpenDataset(host.Value.DataPath); // opened each time: an unreachable blob service fails one refresh only
        var builder = new CatalogBuilder(raw.Store, raw.Path);
        var previous = builder.Read(raw.Path);
        builder.WriteAll(retention.Value.DaysFor, previous?.Shares ?? [], now);
    }

    private void CatalogFailed(string reason) => LogMessages.CatalogRefreshFailed(log, reason, lake.Value.CatalogInterval.TotalSeconds);
}
