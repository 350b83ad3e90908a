namespace IotTelemetry.Lake.Tests;

/// <summary>
/// What a reader of a dataset sees, polled while a sink writes: each committed file is opened completely once (a partial
/// file fails there) and its rows remembered, since a committed file never changes (compaction is not running).
/// </summary>
public sealed class LakeView(LakeDataset dataset)
{
    private readonly Dictionary<string, long> _rows = new(StringComparer.Ordinal);

    /// <summary>Rows in all visible files; opens the files not seen before completely, checking the footer's count against the rows read.</summary>
    public long CountRows()
    {
        long total = 0;
        foreach (var entry in dataset.AllDataFiles())
        {
            if (!_rows.TryGetValue(entry.Key, out var rows))
            {
                using var local = dataset.Store.Fetch(entry.Key);
                rows = LakeParquet.Read(local.Path).Rows.Count;
                Assert.Equal(LakeParquet.RowCount(local.Path), rows);
                _rows[entry.Key] = rows;
            }
            total += rows;
        }
        return total;
    }
}
