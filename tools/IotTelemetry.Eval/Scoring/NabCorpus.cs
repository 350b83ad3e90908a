namespace IotTelemetry.Eval.Scoring;

/// <summary>A directory of <c>timestamp,value</c> CSVs with a windows file naming them (<c>category/file.csv</c>).</summary>
public static class NabCorpus
{
    /// <summary>Every CSV under <paramref name="dataDirectory"/> that the windows file names, in name order.</summary>
    /// <param name="skipped">CSV files found but not named in the windows file.</param>
    public static IReadOnlyList<LabeledFile> Load(string dataDirectory, string windowsPath, out IReadOnlyList<string> skipped)
    {
        if (!Directory.Exists(dataDirectory))
            throw new DirectoryNotFoundException($"expected a directory of CSV files, got '{dataDirectory}' (not found)");
        var windows = NabFiles.ReadWindows(windowsPath);
        var names = Directory.EnumerateFiles(dataDirectory, "*.csv", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dataDirectory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        skipped = names.Where(n => !windows.ContainsKey(n)).ToList();
        var result = new List<LabeledFile>();
        foreach (var name in names.Where(windows.ContainsKey))
        {
            var (ts, values) = NabFiles.ReadSeries(Path.Combine(dataDirectory, name));
            result.Add(new LabeledFile(name, ts, values, windows[name]));
        }
        if (result.Count == 0)
            throw new InvalidDataException($"expected CSV files named in '{windowsPath}' under '{dataDirectory}', found none");
        return result;
    }
}
