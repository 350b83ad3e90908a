using System.Text.Json.Serialization;

namespace IotTelemetry.Lake;

/// <summary>The JSON contracts of the lake's own documents (camelCase, indented: operators read them).</summary>
[JsonSerializable(typeof(LakeIntent))]
[JsonSerializable(typeof(LegacyLakeIntent))]
[JsonSerializable(typeof(CompactionIntent))]
[JsonSerializable(typeof(Tombstone))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class LakeJson : JsonSerializerContext;
