using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DuckDB.NET.Data;

namespace IotTelemetry.TestKit;

/// <summary>
/// DuckDB (DuckDB.NET.Data.Full, the DuckDB library embedded in the test process) as an independent reader of the
/// Parquet lake: runs SQL in a fresh in-memory database and returns the rows as JSON values.
/// Value mapping: integers, doubles and booleans as JSON numbers/booleans; HUGEINT and DECIMAL as numbers; TIMESTAMP and
/// TIMESTAMPTZ as ISO strings in UTC; NaN and infinities as strings; SQL NULL as JSON null; anything else as its text.
/// </summary>
public static class DuckDb
{
    /// <summary>Runs one statement; returns its rows as column name to value.</summary>
    public static Task<List<Dictionary<string, JsonElement>>> QueryAsync(string sql, CancellationToken cancellationToken = default)
        => Task.FromResult(QueryMany([sql], cancellationToken)[0]);

    /// <summary>Runs the statements in order in one DuckDB session; returns one row list per statement.</summary>
    public static Task<IReadOnlyList<List<Dictionary<string, JsonElement>>>> QueryManyAsync(
        IReadOnlyList<string> statements, CancellationToken cancellationToken = default)
        => Task.FromResult(QueryMany(statements, cancellationToken));

    private static IReadOnlyList<List<Dictionary<string, JsonElement>>> QueryMany(IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statements);
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        Run(connection, "SET TimeZone = 'UTC'");
        var results = new List<List<Dictionary<string, JsonElement>>>();
        foreach (var sql in statements)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                results.Add(Run(connection, sql));
            }
            catch (DuckDBException e)
            {
                throw new DuckDbException($"DuckDB failed on: {sql}\n{e.Message}");
            }
        }
        return results;
    }

    private static List<Dictionary<string, JsonElement>> Run(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, JsonElement>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            for (var c = 0; c < reader.FieldCount; c++) row[reader.GetName(c)] = ToJson(reader.IsDBNull(c) ? null : reader.GetValue(c));
            rows.Add(row);
        }
        return rows;
    }

    private static JsonElement ToJson(object? value) => value switch
    {
        null => JsonSerializer.SerializeToElement<object?>(null),
        double d when !double.IsFinite(d) => JsonSerializer.SerializeToElement(d.ToString(CultureInfo.InvariantCulture)),
        float f when !float.IsFinite(f) => JsonSerializer.SerializeToElement(f.ToString(CultureInfo.InvariantCulture)),
        BigInteger b => JsonDocument.Parse(b.ToString(CultureInfo.InvariantCulture)).RootElement.Clone(),
        DateTime t => JsonSerializer.SerializeToElement(t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
        DateTimeOffset t => JsonSerializer.SerializeToElement(t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
        bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal or string => JsonSerializer.SerializeToElement(value, value.GetType()),
        _ => JsonSerializer.SerializeToElement(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>A SQL string literal: <c>'path'</c> with quotes doubled.</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
