using IotTelemetry.Common.Readings;

namespace IotTelemetry.Edge.Validation;

/// <summary>What one MQTT message became: readings, or a rejection (never both: a message is kept or dead-lettered whole).</summary>
public readonly record struct MappingResult(IReadOnlyList<Reading> Readings, Rejection? Rejection)
{
    /// <summary>The mapping rule that made the readings (recorded as the <c>iott-rule</c> header, so the lake's lineage names it); null when no rule did.</summary>
    public string? Rule { get; init; }

    public bool IsRejected => Rejection is not null;

    public static MappingResult Reject(string reason, string detail) => new([], new Rejection(reason, detail));
}
