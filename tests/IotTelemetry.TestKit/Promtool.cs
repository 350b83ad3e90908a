using System.Diagnostics;

namespace IotTelemetry.TestKit;

/// <summary>
/// Debian's <c>promtool</c> (package prometheus): <c>promtool check metrics</c> reads Prometheus exposition text on
/// standard input with Prometheus' own parser and linter, an independent judge of what our /metrics serves.
/// </summary>
public static class Promtool
{
    public const string Binary = "/usr/bin/promtool";

    /// <summary>
    /// Runs <c>promtool check metrics</c> on <paramref name="exposition"/>. Exit code 0: it parsed and has no lint
    /// problem; 1: it does not parse (the output names the line); 3: it parsed, with lint problems (listed).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition, TimeSpan? timeout = null)
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"{Binary} not found: install it with `apt-get install -y prometheus` (scripts/setup.sh test does)");
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("check");
        info.ArgumentList.Add("metrics");
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Binary}");
        using var cts = new CancellationTokenSource(timeout ?? Wait.DefaultTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.StandardInput.WriteAsync(exposition.AsMemory(), cts.Token);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"promtool check metrics did not finish within {(timeout ?? Wait.DefaultTimeout).TotalSeconds:0} s");
        }
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }
}
