namespace IotTelemetry.Lake.Tests;

/// <summary>What a reader of the lake sees: the Parquet files under their final names.</summary>
public static class LakeFiles
{
    public static string Glob(string root) => Path.Combine(root, "**", "*.parquet");

    /// <summary>Files a <c>**/*.parquet</c> glob matches: final names only (temporary names end in <c>.tmp</c>).</summary>
    public static List<string> Visible(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Rows in all visible files, opening each one completely (a partial file fails here).</summary>
    public static long CountRows(string root)
    {
        long rows = 0;
        foreach (var file in Visible(root)) rows += LakeParquet.Read(file).Rows.Count;
        return rows;
    }
}
