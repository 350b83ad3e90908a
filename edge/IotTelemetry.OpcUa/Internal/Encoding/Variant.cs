namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>
/// A value of any built-in type, or an array of one with optional dimensions (Part 6, 5.2.2.16). Scalars are held as
/// their .NET type (bool, sbyte, ..., string, DateTime, Guid, byte[], NodeId, ExpandedNodeId, StatusCode,
/// QualifiedName, LocalizedText, ExtensionObject, DataValue, DiagnosticInfo); arrays as an array of that type
/// (Variant[] for arrays of Variant).
/// </summary>
internal readonly record struct Variant(BuiltInType Type, object? Value, bool IsArray = false, int[]? Dimensions = null)
{
    public static readonly Variant Null = new(BuiltInType.Null, null);

    public static Variant Scalar(BuiltInType type, object? value) => new(type, value);

    public static Variant Array(BuiltInType type, System.Array values, int[]? dimensions = null) => new(type, values, true, dimensions);

    public override string ToString() => Value is null ? "(null)" : IsArray ? $"{Type}[{((System.Array)Value).Length}]" : $"{Type}:{Value}";
}
