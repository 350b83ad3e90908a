using Xunit;

namespace IotTelemetry.Parquet.Tests.DuckDb;

public sealed class DuckDbHelperTests
{
    [Fact]
    public async Task DuckDb_helper_returns_typed_json_and_reports_sql_errors_with_duckdb_message()
    {
        var rows = await TestKit.DuckDb.QueryAsync("SELECT 42::INTEGER AS i, 42::BIGINT AS l, 'it''s' AS s, NULL AS n");
        var row = Assert.Single(rows);
        Assert.Equal(42, row["i"].GetInt32());
        Assert.Equal("42", row["l"].GetString());
        Assert.Equal("it's", row["s"].GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, row["n"].ValueKind);

        var error = await Assert.ThrowsAsync<TestKit.DuckDbException>(() => TestKit.DuckDb.QueryAsync("SELECT * FROM no_such_table"));
        Assert.Contains("no_such_table", error.Message);
    }
}
