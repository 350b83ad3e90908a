using System.Text.Json.Serialization;
using IotTelemetry.Lake.Catalog;

namespace IotTelemetry.LakeTool;

/// <summary>The tool's own JSON output: <c>iott-lake lineage --json</c>.</summary>
[JsonSerializable(typeof(List<FileFooter>))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class LakeToolJson : JsonSerializerContext;
