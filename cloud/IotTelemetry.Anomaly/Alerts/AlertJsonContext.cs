using System.Text.Json.Serialization;

namespace IotTelemetry.Anomaly;

/// <summary>Source-generated System.Text.Json metadata for <see cref="AlertEvent"/>: camelCase, enums as strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AlertEvent))]
public sealed partial class AlertJsonContext : JsonSerializerContext;
