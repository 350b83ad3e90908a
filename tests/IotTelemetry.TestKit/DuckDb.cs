using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace IotTelemetry.TestKit;

/// <summary>
/// DuckDB (npm <c>@duckdb/node-api</c> in tests/node) as an independent reader of the Parquet lake: runs SQL
/// in a fresh in-memory database through tests/node/duckdb-query.mjs and returns the rows as JSON values.
/// Starting node costs about 0.3 s, so batch statements with <see cref="QueryManyAsync"/>.
/// Value mapping: INTEGER/DOUBLE/BOOLEAN as JSON numbers/booleans; BIGINT, TIMESTAMP, TIMESTAMPTZ,
/// DECIMAL and BLOB as strings; NaN and infinities as strings; SQL NULL as JSON null.
/// </summary>
public static class DuckDb
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static string Script => Path.Combine(RepoPaths.NodePeers, "duckdb-query.mjs");

    /// <summary>Runs one statement; returns its rows as column name to value.</summary>
    public static async Task<List<Dictionary<string, JsonElement>>> QueryAsync(string sql, CancellationToken cancellationToken = default)
        => (await QueryManyAsync([sql], cancellationToken))[0];

    /// <summary>Runs the statements in order in one DuckDB session (one node process); returns one row list per statement.</summary>
    public static async Task<IReadOnlyList<List<Dictionary<string, JsonElement>>>> QueryManyAsync(
        IReadOnlyList<string> statements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statements);
        EnsureInstalled();
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.NodePeers,
        };
        info.ArgumentList.Add(Script);
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                "DuckDB checks need Node.js: 'node' was not found on PATH (install Node.js 20+, then run 'npm install' in tests/node)", e);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DefaultTimeout);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.StandardInput.WriteAsync(JsonSerializer.Serialize(statements).AsMemory(), timeout.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            var output = await stdout;
            var errors = await stderr;
            if (process.ExitCode != 0)
                throw new DuckDbException($"DuckDB query failed (node exit code {process.ExitCode}): {errors.Trim()}");
            return JsonSerializer.Deserialize<List<List<Dictionary<string, JsonElement>>>>(output)
                ?? throw new DuckDbException($"Expected a JSON array of results from duckdb-query.mjs, got: {output}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"DuckDB query did not finish within {DefaultTimeout.TotalSeconds:0} s: {string.Join("; ", statements)}");
        }
        finally
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    /// <summary>A SQL string literal: <c>'path'</c> with quotes doubled.</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Fails with how to fix it when the npm package or the script is missing.</summary>
    public static void EnsureInstalled()
    {
        var package = Path.Combine(RepoPaths.NodePeers, "node_modules", "@duckdb", "node-api", "package.json");
        if (!File.Exists(package))
            throw new InvalidOperationException(
                $"DuckDB checks need the npm package @duckdb/node-api, not found at {package}: run 'npm install' in {RepoPaths.NodePeers}");
        if (!File.Exists(Script))
            throw new InvalidOperationException($"DuckDB checks need {Script}, which is missing");
    }
}
