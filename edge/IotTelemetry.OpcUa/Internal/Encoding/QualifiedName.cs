namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>A name qualified by a namespace index, used for BrowseNames (Part 6, 5.2.2.13).</summary>
internal sealed record QualifiedName(ushort NamespaceIndex, string? Name)
{
    public static readonly QualifiedName Null = new(0, null);

    public override string ToString() => NamespaceIndex == 0 ? Name ?? "" : $"{NamespaceIndex}:{Name}";
}
