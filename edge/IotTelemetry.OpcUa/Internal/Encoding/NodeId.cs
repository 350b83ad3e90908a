using System.Globalization;

namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>
/// An OPC UA NodeId: a namespace index and an identifier that is numeric, a string, a Guid or opaque bytes.
/// Text form as in Part 6, 5.3.1.10: <c>ns=1;i=1001</c>, <c>ns=1;s=Pump1.Temperature</c>, <c>ns=1;g=...</c>, <c>ns=1;b=base64</c>;
/// <c>ns=0;</c> may be left out.
/// </summary>
internal sealed class NodeId : IEquatable<NodeId>
{
    public static readonly NodeId Null = new(0, 0u);

    public NodeId(ushort namespaceIndex, uint value)
    {
        NamespaceIndex = namespaceIndex;
        IdType = IdType.Numeric;
        Numeric = value;
    }

    public NodeId(ushort namespaceIndex, string value)
    {
        NamespaceIndex = namespaceIndex;
        IdType = IdType.String;
        Text = value ?? throw new ArgumentNullException(nameof(value));
    }

    public NodeId(ushort namespaceIndex, Guid value)
    {
        NamespaceIndex = namespaceIndex;
        IdType = IdType.Guid;
        Guid = value;
    }

    public NodeId(ushort namespaceIndex, byte[] value)
    {
        NamespaceIndex = namespaceIndex;
        IdType = IdType.Opaque;
        Opaque = value ?? throw new ArgumentNullException(nameof(value));
    }

    public ushort NamespaceIndex { get; }
    public IdType IdType { get; }
    public uint Numeric { get; }
    public string? Text { get; }
    public Guid Guid { get; }
    public byte[]? Opaque { get; }

    public bool IsNull => IdType switch
    {
        IdType.Numeric => Numeric == 0 && NamespaceIndex == 0,
        IdType.String => Text!.Length == 0 && NamespaceIndex == 0,
        IdType.Guid => Guid == Guid.Empty && NamespaceIndex == 0,
        _ => Opaque!.Length == 0 && NamespaceIndex == 0,
    };

    /// <summary>Parses the text form; throws FormatException saying what was expected.</summary>
    public static NodeId Parse(string text)
    {
        if (TryParse(text, out var id, out var error)) return id;
        throw new FormatException(error);
    }

    public static bool TryParse(string text, out NodeId nodeId, out string error)
    {
        nodeId = Null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "Expected a NodeId like 'ns=1;s=Name' but got an empty string";
            return false;
        }
        var rest = text.AsSpan().Trim();
        ushort ns = 0;
        if (rest.StartsWith("ns=", StringComparison.Ordinal))
        {
            var semi = rest.IndexOf(';');
            if (semi < 0 || !ushort.TryParse(rest[3..semi], NumberStyles.None, CultureInfo.InvariantCulture, out ns))
            {
                error = $"Expected 'ns=<0..65535>;' at the start of NodeId '{text}'";
                return false;
            }
            rest = rest[(semi + 1)..];
        }
        if (rest.Length < 2 || rest[1] != '=')
        {
            error = $"Expected i=, s=, g= or b= in NodeId '{text}'";
            return false;
        }
        var value = rest[2..];
        switch (rest[0])
        {
            case 'i':
                if (!uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    error = $"Expected an unsigned 32-bit number after i= in NodeId '{text}'";
                    return false;
                }
                nodeId = new NodeId(ns, number);
                return true;
            case 's':
                nodeId = new NodeId(ns, value.ToString());
                return true;
            case 'g':
                if (!System.Guid.TryParse(value, out var guid))
                {
                    error = $"Expected a GUID after g= in NodeId '{text}'";
                    return false;
                }
                nodeId = new NodeId(ns, guid);
                return true;
            case 'b':
                try
                {
                    nodeId = new NodeId(ns, Convert.FromBase64String(value.ToString()));
                    return true;
                }
                catch (FormatException)
                {
                    error = $"Expected base64 after b= in NodeId '{text}'";
                    return false;
                }
            default:
                error = $"Expected i=, s=, g= or b= in NodeId '{text}' but found '{rest[0]}='";
                return false;
        }
    }

    public override string ToString()
    {
        var prefix = NamespaceIndex == 0 ? "" : "ns=" + NamespaceIndex.ToString(CultureInfo.InvariantCulture) + ";";
        return IdType switch
        {
            IdType.Numeric => prefix + "i=" + Numeric.ToString(CultureInfo.InvariantCulture),
            IdType.String => prefix + "s=" + Text,
            IdType.Guid => prefix + "g=" + Guid.ToString("D"),
            _ => prefix + "b=" + Convert.ToBase64String(Opaque!),
        };
    }

    public bool Equals(NodeId? other)
    {
        if (other is null || other.NamespaceIndex != NamespaceIndex || other.IdType != IdType) return false;
        return IdType switch
        {
            IdType.Numeric => other.Numeric == Numeric,
            IdType.String => string.Equals(other.Text, Text, StringComparison.Ordinal),
            IdType.Guid => other.Guid == Guid,
            _ => other.Opaque!.AsSpan().SequenceEqual(Opaque),
        };
    }

    public override bool Equals(object? obj) => Equals(obj as NodeId);

    public override int GetHashCode() => IdType switch
    {
        IdType.Numeric => HashCode.Combine(NamespaceIndex, Numeric),
        IdType.String => HashCode.Combine(NamespaceIndex, Text),
        IdType.Guid => HashCode.Combine(NamespaceIndex, Guid),
        _ => HashCode.Combine(NamespaceIndex, Opaque!.Length),
    };
}
