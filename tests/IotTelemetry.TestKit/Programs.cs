namespace IotTelemetry.TestKit;

/// <summary>Our own hosts, run as real child processes (so a test can SIGKILL them), built in the tests' configuration.</summary>
public static class Programs
{
    /// <summary>Debug or Release: whichever the running tests were built in.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string EdgeDll => Dll("edge/IotTelemetry.EdgeAgent", "iott-edge");

    public static string CloudDll => Dll("cloud/IotTelemetry.CloudHost", "iott-cloud");

    /// <summary>The soak orchestrator (<c>make soak</c>).</summary>
    public static string SoakDll => Dll("tools/IotTelemetry.Soak", "iott-soak");

    /// <summary>
    /// The edge agent reading only Kafka (MQTT off) for site <c>plant-t</c>, with its metrics on a free loopback
    /// port (<c>Edge:Urls</c>) and the mirror from <paramref name="edgeBootstrap"/> to <paramref name="cloudBootstrap"/>.
    /// </summary>
    public static Dictionary<string, string> EdgeSettings(string edgeBootstrap, string cloudBootstrap) => new()
    {
        ["Edge:Site"] = "plant-t",
        ["Edge:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
        ["Mqtt:Enabled"] = "false",
        ["Kafka:Edge:BootstrapServers"] = edgeBootstrap,
        ["Kafka:Cloud:BootstrapServers"] = cloudBootstrap,
    };

    /// <summary>Starts <paramref name="dll"/> with dotnet, configuration given as --Key=value arguments.</summary>
    public static ExternalProcess Start(string dll, IDictionary<string, string> settings, IDictionary<string, string?>? environment = null)
    {
        var args = new List<string> { dll };
        args.AddRange(settings.Select(kv => $"--{kv.Key}={kv.Value}"));
        var env = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>())
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["Logging__Console__FormatterName"] = "simple",
        };
        return ExternalProcess.Start("dotnet", args, Path.GetDirectoryName(dll), env);
    }

    private static string Dll(string project, string assembly)
    {
        var path = Path.Combine(RepoPaths.Root, project, "bin", Configuration, "net10.0", assembly + ".dll");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is not built: run `dotnet build IotTelemetry.sln -c {Configuration}` (make test does)", path);
        return path;
    }
}
