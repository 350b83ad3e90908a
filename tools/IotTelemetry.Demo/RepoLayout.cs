namespace IotTelemetry.Demo;

/// <summary>Where `make run` and `make soak` find the checkout and the programs built beside them (shared by source with the soak tool).</summary>
internal static class RepoLayout
{
    /// <summary>The checkout: the first directory above this program that holds IotTelemetry.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration this program was built in (its output folder's parent), so the others are taken from the same.</summary>
    private static readonly string Configuration =
        Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))) ?? "Release";

    /// <summary>The built program <paramref name="name"/>.dll of project folder <paramref name="project"/> (relative to the checkout).</summary>
    public static string Dll(string project, string name) => Path.Combine(Root, project, "bin", Configuration, "net10.0", name + ".dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IotTelemetry.sln"))) return dir.FullName;
        throw new InvalidOperationException("run from a checkout of the repository (IotTelemetry.sln not found)");
    }
}
