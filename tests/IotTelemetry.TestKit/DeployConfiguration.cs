using IotTelemetry.Common.Hosting;
using Microsoft.Extensions.Configuration;

namespace IotTelemetry.TestKit;

/// <summary>
/// A host's configuration as a deployment in deploy/ gives it, layered as ServiceHost does: the host's appsettings.json,
/// the deployment's JSON file over it (as <c>--config</c> / <c>IOTT_CONFIG</c>), then environment variables. Files
/// the deployment mounts under <c>/run/secrets/</c> are stood in by temporary files and the data directory by a
/// temporary one; every other value stays as the deployment gives it, for the host's own validation to judge.
/// </summary>
public sealed class DeployConfiguration : IDisposable
{
    private readonly string _dir = RepoPaths.NewTempDirectory("deploy");

    /// <param name="hostProject">the host's folder, e.g. <c>cloud/IotTelemetry.CloudHost</c></param>
    /// <param name="deployJson">the deployment's JSON configuration (its text)</param>
    /// <param name="environment">environment variables (<c>Section__Key</c>) the deployment sets</param>
    /// <param name="dataDirKey">the host's data directory key (<c>Cloud:DataDir</c>), if it has one</param>
    public DeployConfiguration(string hostProject, string deployJson, IReadOnlyDictionary<string, string> environment, string? dataDirKey = null)
    {
        var user = Path.Combine(_dir, "deploy.json");
        File.WriteAllText(user, deployJson);
        var configuration = new ConfigurationManager();
        configuration.AddJsonFile(Path.Combine(RepoPaths.Root, hostProject, "appsettings.json"));
        JsonLayers.UseOverDefaults(configuration, user);
        configuration.AddInMemoryCollection(environment.Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace("__", ":"), kv.Value)));
        var mounted = new Dictionary<string, string?>();
        if (dataDirKey is not null) mounted[dataDirKey] = Path.Combine(_dir, "data");
        foreach (var (key, value) in configuration.AsEnumerable())
            if (value is not null && value.StartsWith("/run/secrets/", StringComparison.Ordinal))
            {
                var file = Path.Combine(_dir, "secret-" + mounted.Count);
                File.WriteAllText(file, "mounted-secret\n");
                mounted[key] = file;
            }
        configuration.AddInMemoryCollection(mounted);
        Configuration = configuration;
        MountedSecrets = mounted.Keys.Where(k => k != dataDirKey).ToList();
    }

    public IConfiguration Configuration { get; }

    /// <summary>The keys whose /run/secrets/ file was stood in.</summary>
    public IReadOnlyList<string> MountedSecrets { get; }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
