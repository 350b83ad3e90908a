using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace IotTelemetry.Common.Hosting;

/// <summary>
/// Layers a user's JSON configuration file over the appsettings.json shipped beside the program. Objects merge member
/// by member; a list or a value in the user's file replaces the default's whole. (Microsoft.Extensions.Configuration
/// alone merges lists index by index, so a user's first mapping rule would silently inherit paths from the default
/// file's first rule.)
/// </summary>
public static class JsonLayers
{
    /// <summary>Replaces the default appsettings.json sources of <paramref name="configuration"/> by the merged document, in their place.</summary>
    public static void UseOverDefaults(ConfigurationManager configuration, string userFile)
    {
        var sources = (IList<IConfigurationSource>)configuration.Sources;
        var first = -1;
        JsonNode? merged = null;
        for (var i = sources.Count - 1; i >= 0; i--)
        {
            if (sources[i] is not JsonConfigurationSource { Path: { } path } json || !path.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase)) continue;
            var file = json.FileProvider?.GetFileInfo(path);
            if (file is { Exists: true, PhysicalPath: { } physical }) merged = Merge(Read(physical), merged);
            sources.RemoveAt(i);
            first = i;
        }
        merged = Merge(merged, Read(userFile));
        var pairs = new List<KeyValuePair<string, string?>>();
        Flatten(merged, null, pairs);
        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = pairs };
        if (first < 0) sources.Add(source);
        else sources.Insert(first, source);
    }

    /// <summary><paramref name="over"/> laid on <paramref name="under"/>: objects merge, anything else in <paramref name="over"/> wins.</summary>
    public static JsonNode? Merge(JsonNode? under, JsonNode? over)
    {
        if (over is null) return under?.DeepClone();
        if (under is not JsonObject baseObject || over is not JsonObject overObject) return over.DeepClone();
        var result = (JsonObject)baseObject.DeepClone();
        foreach (var (name, value) in overObject)
        {
            // Configuration keys are case-insensitive: a user's "mapping" replaces the default's "Mapping".
            var existing = result.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
            if (existing.Key is not null) result.Remove(existing.Key);
            result[name] = Merge(existing.Value, value);
        }
        return result;
    }

    /// <summary>The configuration keys of a JSON document, as the JSON provider names them (<c>Mapping:Rules:0:Topic</c>).</summary>
    private static void Flatten(JsonNode? node, string? prefix, List<KeyValuePair<string, string?>> pairs)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj) Flatten(value, prefix is null ? name : prefix + ConfigurationPath.KeyDelimiter + name, pairs);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) Flatten(array[i], prefix + ConfigurationPath.KeyDelimiter + i.ToString(System.Globalization.CultureInfo.InvariantCulture), pairs);
                break;
            case JsonValue value when prefix is not null:
                pairs.Add(new(prefix, value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()));
                break;
            case null when prefix is not null:
                pairs.Add(new(prefix, null));
                break;
        }
    }

    private static JsonNode? Read(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new Configuration.ConfigurationException([$"--config / IOTT_CONFIG: expected a JSON file, but '{path}' is not valid JSON: {ex.Message}"]);
        }
    }
}
