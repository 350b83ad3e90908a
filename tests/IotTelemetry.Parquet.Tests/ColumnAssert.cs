using Xunit;

namespace IotTelemetry.Parquet.Tests;

/// <summary>Bit-exact comparison of column buffers (doubles by their bits, so NaN and -0.0 count).</summary>
internal static class ColumnAssert
{
    public static void Equal(ParquetColumn expected, ParquetColumn actual)
    {
        Assert.Equal(expected.Field, actual.Field);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.NullCount, actual.NullCount);
        for (var row = 0; row < expected.Count; row++)
        {
            Assert.True(expected.IsNull(row) == actual.IsNull(row), $"'{expected.Field.Name}' row {row}: null expected {expected.IsNull(row)}, got {actual.IsNull(row)}");
            var (e, a) = (expected.GetBoxed(row), actual.GetBoxed(row));
            if (e is double de && a is double da)
                Assert.True(BitConverter.DoubleToInt64Bits(de) == BitConverter.DoubleToInt64Bits(da), $"'{expected.Field.Name}' row {row}: expected {de:R}, got {da:R}");
            else
                Assert.True(Equals(e, a), $"'{expected.Field.Name}' row {row}: expected {e}, got {a}");
        }
    }

    public static void Equal(ParquetRowBuffer expected, ParquetRowBuffer actual)
    {
        Assert.True(expected.Schema.SameAs(actual.Schema), $"schema: expected {expected.Schema}, got {actual.Schema}");
        for (var c = 0; c < expected.Columns.Count; c++) Equal(expected.Columns[c], actual.Columns[c]);
    }
}
