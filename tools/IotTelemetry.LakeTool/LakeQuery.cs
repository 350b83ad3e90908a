using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using IotTelemetry.Lake;

namespace IotTelemetry.LakeTool;

/// <summary>
/// SQL over the lake with DuckDB embedded (in memory, nothing written): the view <c>lake</c> is every Parquet file
/// under the root read with <c>hive_partitioning</c>, so <c>site</c>, <c>date</c> and <c>hour</c> are columns beside
/// the file's own (<c>date</c> a DATE, <c>hour</c> an INTEGER) and filters on them skip whole directories. Timestamps print in UTC.
/// </summary>
public static class LakeQuery
{
    /// <summary>Runs <paramref name="sql"/> and prints the result as an aligned table; returns the number of rows.</summary>
    public static long Run(TextWriter output, string root, string sql, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(output);
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full)) throw new ArgumentException($"Expected --root to be the lake directory, '{full}' does not exist");
        if (!Directory.EnumerateFiles(full, "*.parquet", SearchOption.AllDirectories).Any())
            throw new ArgumentException($"Expected Parquet files under --root, found none in '{full}'");
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, "SET TimeZone = 'UTC'");
        var glob = Path.Combine(full, "**", "*.parquet").Replace("'", "''", StringComparison.Ordinal);
        Execute(connection, $"CREATE VIEW lake AS SELECT * FROM read_parquet('{glob}', hive_partitioning = true, hive_types = {{'date': DATE, 'hour': INTEGER}})");
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        return Print(output, reader, maxRows);
    }

    /// <summary>
    /// The same over a dataset in any store: its data files are copied into a temporary directory in the same layout
    /// (DuckDB's own Azure extension cannot be installed here), queried, and the copy deleted.
    /// </summary>
    public static long Run(TextWriter output, LakeDataset dataset, string sql, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var copy = Path.Combine(Path.GetTempPath(), "iott-lake-query-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            if (dataset.CopyTo(copy) == 0) throw new ArgumentException($"Expected Parquet files in {dataset.Location}, found none");
            return Run(output, copy, sql, maxRows);
        }
        finally
        {
            if (Directory.Exists(copy)) Directory.Delete(copy, recursive: true);
        }
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Print(TextWriter output, DbDataReader reader, int maxRows)
    {
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<string[]>();
        long total = 0;
        while (reader.Read())
        {
            if (total++ >= maxRows) continue;
            var row = new string[names.Length];
            for (var c = 0; c < names.Length; c++) row[c] = reader.IsDBNull(c) ? "NULL" : Format(reader.GetValue(c));
            rows.Add(row);
        }
        var widths = names.Select((n, c) => rows.Aggregate(n.Length, (w, r) => Math.Max(w, r[c].Length))).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((s, c) => s.PadRight(widths[c]))) + " |";
        output.WriteLine(Line(names));
        output.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in rows) output.WriteLine(Line(row));
        output.WriteLine(total > maxRows
            ? string.Create(CultureInfo.InvariantCulture, $"({total:N0} rows, first {maxRows:N0} shown; --max-rows N shows more)")
            : string.Create(CultureInfo.InvariantCulture, $"({total:N0} row{(total == 1 ? "" : "s")})"));
        return total;
    }

    private static string Format(object value) => value switch
    {
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
