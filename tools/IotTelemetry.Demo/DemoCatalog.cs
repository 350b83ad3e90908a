using System.Diagnostics;

namespace IotTelemetry.Demo;

/// <summary>
/// The demo's closing catalog: runs <c>iott-lake catalog</c> (built alongside) over the run's lake, on disk or on Azurite,
/// exactly as an operator would, and returns what it printed. The store's settings reach it in the environment, as they
/// reach the cloud host (the connection string holds the key: never on the command line).
/// </summary>
internal static class DemoCatalog
{
    public static async Task<IReadOnlyList<string>> RunAsync(string lakeToolDll, DemoLake lake, string dataDir)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] where = lake.Store.IsAzure ? ["--store", "azure"] : ["--root", Path.Combine(dataDir, "lake")];
        foreach (var a in (string[])[lakeToolDll, "catalog", .. where]) info.ArgumentList.Add(a);
        foreach (var (key, value) in lake.CloudEnvironment) info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet could not be started for iott-lake catalog");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        if (process.ExitCode != 0) lines.Add($"iott-lake catalog failed (exit {process.ExitCode}): {(await errors).Trim()}");
        return lines;
    }
}
