namespace IotTelemetry.TestKit;

/// <summary>Where things are in a checkout, found from the test assembly's location.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>tests/node: the npm packages (DuckDB, node-opcua) that `make test` installs.</summary>
    public static string NodePeers => Path.Combine(Root, "tests", "node");

    public static string NabData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", "nab"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IotTelemetry.sln"))) return dir.FullName;
        throw new InvalidOperationException($"IotTelemetry.sln not found above {AppContext.BaseDirectory}");
    }

    /// <summary>A fresh directory under the system temp folder, for one test's files.</summary>
    public static string NewTempDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), "iott-" + prefix + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }
}
