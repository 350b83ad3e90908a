using System.Globalization;
using System.Text.Json.Nodes;

namespace IotTelemetry.Security.Tests;

/// <summary>
/// Checks a JSON document against the subset of JSON Schema 2020-12 our published schemas use: type, required,
/// properties, additionalProperties false, const, enum, minLength, minimum, format date-time. Returns problems.
/// </summary>
public sealed class SchemaChecker(JsonObject schema)
{
    public static SchemaChecker Load(string path) => new(JsonNode.Parse(File.ReadAllText(path))!.AsObject());

    public List<string> Check(JsonNode? document)
    {
        var problems = new List<string>();
        Check(schema, document, "$", problems);
        return problems;
    }

    private static void Check(JsonObject s, JsonNode? node, string path, List<string> problems)
    {
        if (s["type"]?.GetValue<string>() is { } type && !HasType(node, type))
        {
            problems.Add($"{path}: expected {type}, got {node?.GetValueKind().ToString() ?? "null"}");
            return;
        }
        if (s["const"] is { } constant && !JsonNode.DeepEquals(constant, node)) problems.Add($"{path}: expected {constant.ToJsonString()}, got {node?.ToJsonString()}");
        if (s["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, node))) problems.Add($"{path}: expected one of {values.ToJsonString()}, got {node?.ToJsonString()}");
        if (s["minLength"] is { } minLength && node!.GetValue<string>().Length < minLength.GetValue<int>()) problems.Add($"{path}: shorter than {minLength}");
        if (s["minimum"] is { } minimum && node!.GetValue<double>() < minimum.GetValue<double>()) problems.Add($"{path}: below {minimum}");
        if (s["format"]?.GetValue<string>() == "date-time" &&
            !DateTimeOffset.TryParseExact(node!.GetValue<string>(), "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            problems.Add($"{path}: expected an RFC 3339 date-time, got {node!.ToJsonString()}");
        if (node is not JsonObject obj) return;
        var properties = s["properties"] as JsonObject ?? [];
        if (s["required"] is JsonArray required)
            foreach (var name in required.Select(r => r!.GetValue<string>()))
                if (!obj.ContainsKey(name)) problems.Add($"{path}: required property '{name}' is missing");
        foreach (var (name, value) in obj)
        {
            if (properties[name] is JsonObject child) Check(child, value, path + "." + name, problems);
            else if (s["additionalProperties"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.False)
                problems.Add($"{path}: property '{name}' is not allowed");
        }
    }

    private static bool HasType(JsonNode? node, string type) => (type, node?.GetValueKind()) switch
    {
        ("object", System.Text.Json.JsonValueKind.Object) => true,
        ("array", System.Text.Json.JsonValueKind.Array) => true,
        ("string", System.Text.Json.JsonValueKind.String) => true,
        ("number", System.Text.Json.JsonValueKind.Number) => true,
        ("integer", System.Text.Json.JsonValueKind.Number) => node!.GetValue<double>() % 1 == 0,
        ("boolean", System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False) => true,
        _ => false,
    };
}
