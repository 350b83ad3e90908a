using System.Text.RegularExpressions;
using IotTelemetry.Cloud.Dashboard;
using IotTelemetry.Cloud.Detector;
using IotTelemetry.Cloud.Influx;
using IotTelemetry.Cloud.Lake;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;

namespace IotTelemetry.Cloud.Tests;

/// <summary>
/// The files in deploy/compose and deploy/kubernetes, checked without a Docker engine or a cluster: they parse as
/// YAML, every configuration key they give our hosts is one the README documents, each cloud role's configuration is
/// accepted by the cloud host's own start-up validation (<see cref="CloudConfiguration.Check"/>), and the Deployments carry
/// probes on /health, resources and secrets as files.
/// </summary>
public sealed class DeployFilesTests
{
    private static readonly string Compose = Path.Combine(RepoPaths.Root, "deploy", "compose");
    private static readonly string Kubernetes = Path.Combine(RepoPaths.Root, "deploy", "kubernetes");

    [Fact]
    public void Every_key_the_deploy_files_set_is_documented_in_the_readme()
    {
        var documented = DocumentedKeys(File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md")));
        var keys = new List<(string File, string Key)>();
        foreach (var json in new[] { "edge.json", "cloud.json" })
            keys.AddRange(FlattenJson(File.ReadAllText(Path.Combine(Compose, json))).Select(kv => (json, kv.Key)));
        foreach (var service in ComposeServices().Where(s => s.Image.StartsWith("iottelemetry/", StringComparison.Ordinal)))
            keys.AddRange(service.Environment.Keys.Where(k => k.Contains("__")).Select(k => ("compose.yaml " + service.Name, k.Replace("__", ":"))));
        keys.AddRange(FlattenJson(ConfigMapJson()).Select(kv => ("configmap.yaml", kv.Key)));
        foreach (var deployment in Deployments())
            keys.AddRange(deployment.Environment.Keys.Where(k => k.Contains("__")).Select(k => (deployment.Name, k.Replace("__", ":"))));

        Assert.True(keys.Count > 30, $"only {keys.Count} keys found: the files were not read");
        var undocumented = keys.Where(k => !IsDocumented(documented, k.Key)).Select(k => $"{k.File}: {k.Key}").ToList();
        Assert.True(undocumented.Count == 0, "not in README's settings tables: " + string.Join(", ", undocumented));
        Assert.False(IsDocumented(documented, "Lake:Compresion"), "the check accepts a misspelled key");
    }

    [Fact]
    public void The_compose_cloud_configuration_passes_the_hosts_validation_with_every_role_on()
    {
        using var settings = LoadCloud(File.ReadAllText(Path.Combine(Compose, "cloud.json")), new Dictionary<string, string>());
        Assert.True(settings.Section<DetectorOptions>().Enabled && settings.Section<LakeOptions>().Enabled && settings.Section<InfluxOptions>().Enabled);
        Assert.Equal("http://victoria-metrics:8428", settings.Section<InfluxOptions>().Url);

        var services = ComposeServices().ToDictionary(s => s.Name);
        foreach (var name in new[] { "kafka-edge", "kafka-cloud", "kafka-topics", "mosquitto", "edge", "cloud", "victoria-metrics" })
            Assert.True(services.ContainsKey(name), "compose.yaml has no service " + name);
        Assert.StartsWith("apache/kafka:", services["kafka-edge"].Image, StringComparison.Ordinal);
        Assert.Equal("broker,controller", services["kafka-cloud"].Environment["KAFKA_PROCESS_ROLES"]); // KRaft, no ZooKeeper
        foreach (var host in new[] { ("edge", "9101"), ("cloud", "9102") })
        {
            Assert.Contains($"/dev/tcp/127.0.0.1/{host.Item2}", services[host.Item1].HealthCheck);
            Assert.Contains("GET /health", services[host.Item1].HealthCheck);
            Assert.StartsWith("/etc/iottelemetry/", services[host.Item1].Environment["IOTT_CONFIG"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Each_kubernetes_deployment_runs_exactly_its_role_and_passes_the_hosts_validation()
    {
        var configMap = ConfigMapJson();
        var claims = YamlDocuments(Path.Combine(Kubernetes, "pvc.yaml")).Select(d => Scalar(d, "metadata", "name")).ToHashSet();
        var deployments = Deployments().ToList();
        Assert.Equal(["dashboard", "detector", "influx", "lake"], deployments.Select(d => d.Role).Order());
        foreach (var d in deployments)
        {
            var env = new Dictionary<string, string>(d.Environment);
            if (d.Role == "dashboard") env["Dashboard__Users__0__PasswordHash"] = PasswordHash.Create(Guid.NewGuid().ToString());
            using var settings = LoadCloud(configMap, env);
            var enabled = new[] { ("detector", settings.Section<DetectorOptions>().Enabled), ("lake", settings.Section<LakeOptions>().Enabled),
                ("influx", settings.Section<InfluxOptions>().Enabled), ("dashboard", settings.Section<DashboardOptions>().Enabled) }.Where(r => r.Item2).Select(r => r.Item1);
            Assert.Equal([d.Role], enabled);
            Assert.Equal("SaslSsl", settings.Section<KafkaClusterOptions>().SecurityProtocol);

            var container = d.Container;
            foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
                Assert.Equal("/health", Scalar(container, probe, "httpGet", "path"));
            foreach (var part in new[] { "requests", "limits" })
                foreach (var resource in new[] { "cpu", "memory" })
                    Assert.NotEmpty(Scalar(container, "resources", part, resource));
            var volumes = ((YamlSequenceNode)Node(d.Pod, "volumes")).Cast<YamlMappingNode>().ToList();
            Assert.Contains(volumes, v => Child(v, "configMap") is YamlMappingNode c && Scalar(c, "name") == "iott-cloud-config");
            Assert.Contains(volumes, v => Child(v, "secret") is YamlMappingNode s && Scalar(s, "secretName") == "iott-cloud");
            var data = volumes.Single(v => Scalar(v, "name") == "data");
            if (Child(data, "persistentVolumeClaim") is YamlMappingNode claim)
                Assert.Contains(Scalar(claim, "claimName"), claims);
            else
                Assert.Equal("influx", d.Role); // only the stateless InfluxDB sink runs without a claim
        }
    }

    private static ServiceProvider LoadCloud(string deployJson, Dictionary<string, string> environment)
    {
        using var deploy = new DeployConfiguration("cloud/IotTelemetry.CloudHost", deployJson, environment, "Cloud:DataDir");
        Assert.Contains("Influx:TokenFile", deploy.MountedSecrets);
        return CloudConfiguration.Check(deploy.Configuration);
    }

    private static string ConfigMapJson()
    {
        var doc = YamlDocuments(Path.Combine(Kubernetes, "configmap.yaml")).Single();
        return Scalar(doc, "data", "cloud.json");
    }

    /// <summary>The keys a JSON configuration file sets, as Microsoft.Extensions.Configuration reads them (<c>Influx:Url</c>, <c>Dashboard:Users:0:Name</c>).</summary>
    private static IEnumerable<KeyValuePair<string, string?>> FlattenJson(string json)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return new ConfigurationBuilder().AddJsonStream(stream).Build().AsEnumerable().Where(kv => kv.Value is not null).ToList();
    }

    // ---- the README's settings tables ----

    /// <summary>
    /// Keys named in the first cell of README table rows: <c>`Section:Key`</c>, and after it <c>`Other`</c> meaning
    /// <c>Section:Other</c>; bare keys of the Kafka table belong to <c>Kafka:Edge</c> and <c>Kafka:Cloud</c>.
    /// <c>N</c>, <c>M</c> and numbers are list indexes; a key names its sub-keys too (<c>Anomaly:Rules:N</c>).
    /// </summary>
    private static HashSet<string> DocumentedKeys(IEnumerable<string> readme)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in readme.Where(l => l.StartsWith('|')))
        {
            string? prefix = null;
            foreach (Match m in Regex.Matches(line.Split('|')[1], "`([^`]+)`"))
            {
                var token = m.Groups[1].Value.Trim().TrimEnd('…', '.', ':');
                if (token.Contains(' ')) continue;
                if (token.Contains(':'))
                {
                    keys.Add(Normalize(token));
                    prefix = token[..(token.LastIndexOf(':') + 1)];
                }
                else if (prefix is not null) keys.Add(Normalize(prefix + token));
                else
                {
                    keys.Add(Normalize("Kafka:Edge:" + token));
                    keys.Add(Normalize("Kafka:Cloud:" + token));
                }
            }
        }
        return keys;
    }

    private static bool IsDocumented(HashSet<string> documented, string key)
    {
        var segments = Normalize(key).Split(':');
        for (var n = segments.Length; n > 0; n--)
            if (documented.Contains(string.Join(':', segments[..n]))) return true;
        return false;
    }

    private static string Normalize(string key) =>
        string.Join(':', key.Split(':').Select(s => s is "N" or "M" || s.All(char.IsAsciiDigit) ? "#" : s));

    // ---- YAML ----

    private sealed record Service(string Name, string Image, Dictionary<string, string> Environment, string HealthCheck);

    private sealed record Deployment(string Name, string Role, YamlMappingNode Pod, YamlMappingNode Container, Dictionary<string, string> Environment);

    private static IEnumerable<Service> ComposeServices()
    {
        var doc = YamlDocuments(Path.Combine(Compose, "compose.yaml")).Single();
        foreach (var (name, node) in (YamlMappingNode)Node(doc, "services"))
        {
            var service = Merged((YamlMappingNode)node);
            var env = Child(service, "environment") is YamlMappingNode e
                ? Merged(e).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value ?? "")
                : [];
            var health = Child(service, "healthcheck") is YamlMappingNode h && Child(Merged(h), "test") is YamlSequenceNode test
                ? string.Join(' ', test.Cast<YamlScalarNode>().Select(s => s.Value))
                : "";
            yield return new Service(((YamlScalarNode)name).Value!, Scalar(service, "image"), env, health);
        }
    }

    private static IEnumerable<Deployment> Deployments()
    {
        foreach (var file in Directory.GetFiles(Kubernetes, "*.yaml"))
            foreach (var doc in YamlDocuments(file).Where(d => Scalar(d, "kind") == "Deployment"))
            {
                var pod = (YamlMappingNode)Node(doc, "spec", "template", "spec");
                var container = ((YamlSequenceNode)Node(pod, "containers")).Cast<YamlMappingNode>().Single();
                Assert.StartsWith("iottelemetry/cloud:", Scalar(container, "image"), StringComparison.Ordinal);
                var env = ((YamlSequenceNode)Node(container, "env")).Cast<YamlMappingNode>()
                    .ToDictionary(e => Scalar(e, "name"), e => Scalar(e, "value"));
                yield return new Deployment(Path.GetFileName(file) + " " + Scalar(doc, "metadata", "name"),
                    Scalar(doc, "metadata", "labels", "app.kubernetes.io/component"), pod, container, env);
            }
    }

    /// <summary>Every non-empty document of a YAML file; a syntax error fails the test with YamlDotNet's position.</summary>
    private static List<YamlMappingNode> YamlDocuments(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        var docs = stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
        Assert.NotEmpty(docs);
        return docs;
    }

    /// <summary>
    /// <paramref name="map"/> with its YAML merge keys (<c>&lt;&lt;: *anchor</c>, which compose files use) expanded:
    /// the anchored mapping's entries first, the map's own entries winning.
    /// </summary>
    private static YamlMappingNode Merged(YamlMappingNode map)
    {
        var merged = new YamlMappingNode();
        if (Child(map, "<<") is YamlMappingNode under)
            foreach (var (key, value) in Merged(under)) merged.Children[key] = value;
        foreach (var (key, value) in map.Where(kv => kv.Key is not YamlScalarNode { Value: "<<" })) merged.Children[key] = value;
        return merged;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static YamlNode Node(YamlMappingNode map, params string[] path)
    {
        YamlNode node = map;
        foreach (var key in path)
            node = (node is YamlMappingNode m ? Child(m, key) : null) ?? throw new Xunit.Sdk.XunitException($"no '{string.Join('.', path)}' in the YAML");
        return node;
    }

    private static string Scalar(YamlMappingNode map, params string[] path) =>
        (Node(map, path) as YamlScalarNode)?.Value ?? throw new Xunit.Sdk.XunitException($"'{string.Join('.', path)}' is not a scalar");
}
