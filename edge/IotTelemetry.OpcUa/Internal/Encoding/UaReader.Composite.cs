namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>The masked encodings: NodeId, ExpandedNodeId, ExtensionObject, Variant, DataValue, DiagnosticInfo.</summary>
internal sealed partial class UaReader
{
    private const int MaxNesting = 32;
    private int _depth;

    public NodeId ReadNodeId() => ReadNodeIdBody(ReadByte());

    private NodeId ReadNodeIdBody(byte encoding) => (encoding & 0x3F) switch
    {
        0x00 => new NodeId(0, ReadByte()),
        0x01 => new NodeId(ReadByte(), ReadUInt16()),
        0x02 => new NodeId(ReadUInt16(), ReadUInt32()),
        0x03 => new NodeId(ReadUInt16(), ReadString() ?? ""),
        0x04 => new NodeId(ReadUInt16(), ReadGuid()),
        0x05 => new NodeId(ReadUInt16(), ReadByteString() ?? []),
        var other => throw new UaDecodingException(
            $"Expected a NodeId encoding byte 0x00..0x05 at offset {_position - 1} but found 0x{other:X2}"),
    };

    public ExpandedNodeId ReadExpandedNodeId()
    {
        var encoding = ReadByte();
        var nodeId = ReadNodeIdBody(encoding);
        var uri = (encoding & 0x80) != 0 ? ReadString() : null;
        var server = (encoding & 0x40) != 0 ? ReadUInt32() : 0u;
        return new ExpandedNodeId(nodeId, uri, server);
    }

    public ExtensionObject ReadExtensionObject()
    {
        var typeId = ReadNodeId();
        var encoding = ReadByte();
        switch (encoding)
        {
            case 0:
                return new ExtensionObject(typeId, null, null);
            case 1:
            {
                var length = ReadInt32();
                if (length < 0) return new ExtensionObject(typeId, null, null);
                var body = ReadBytes(length);
                if (typeId.NamespaceIndex == 0 && typeId.IdType == IdType.Numeric && KnownTypes is not null
                    && KnownTypes.TryGetValue(typeId.Numeric, out var decode))
                {
                    var inner = new UaReader(body, KnownTypes) { _depth = _depth + 1 };
                    return new ExtensionObject(typeId, decode(inner), null);
                }
                return new ExtensionObject(typeId, null, body.ToArray());
            }
            case 2:
                return new ExtensionObject(typeId, null, ReadByteString(), 2);
            default:
                throw new UaDecodingException(
                    $"Expected an ExtensionObject encoding 0, 1 or 2 at offset {_position - 1} but found {encoding}");
        }
    }

    public Variant ReadVariant()
    {
        if (++_depth > MaxNesting) throw new UaDecodingException($"Expected at most {MaxNesting} nested Variants");
        try
        {
            var mask = ReadByte();
            var type = (BuiltInType)(mask & 0x3F);
            if (type > BuiltInType.DiagnosticInfo)
                throw new UaDecodingException($"Expected a Variant type id 0..25 at offset {_position - 1} but found {(int)type}");
            if ((mask & 0x80) == 0)
                return type == BuiltInType.Null ? Variant.Null : Variant.Scalar(type, ReadScalar(type));
            var length = ReadInt32();
            if (length > Remaining)
                throw new UaDecodingException($"Expected a Variant array of at most {Remaining} elements but the length says {length}");
            var array = CreateArray(type, Math.Max(length, 0));
            for (var i = 0; i < length; i++) array.SetValue(ReadScalar(type), i);
            int[]? dimensions = (mask & 0x40) != 0 ? ReadArray(static r => r.ReadInt32()) : null;
            return Variant.Array(type, array, dimensions);
        }
        finally
        {
            _depth--;
        }
    }

    private static Array CreateArray(BuiltInType type, int length) => type switch
    {
        BuiltInType.Boolean => new bool[length],
        BuiltInType.SByte => new sbyte[length],
        BuiltInType.Byte => new byte[length],
        BuiltInType.Int16 => new short[length],
        BuiltInType.UInt16 => new ushort[length],
        BuiltInType.Int32 => new int[length],
        BuiltInType.UInt32 => new uint[length],
        BuiltInType.Int64 => new long[length],
        BuiltInType.UInt64 => new ulong[length],
        BuiltInType.Float => new float[length],
        BuiltInType.Double => new double[length],
        BuiltInType.String => new string?[length],
        BuiltInType.DateTime => new DateTime[length],
        BuiltInType.Guid => new Guid[length],
        BuiltInType.ByteString or BuiltInType.XmlElement => new byte[]?[length],
        BuiltInType.NodeId => new NodeId[length],
        BuiltInType.ExpandedNodeId => new ExpandedNodeId[length],
        BuiltInType.StatusCode => new StatusCode[length],
        BuiltInType.QualifiedName => new QualifiedName[length],
        BuiltInType.LocalizedText => new LocalizedText[length],
        BuiltInType.ExtensionObject => new ExtensionObject[length],
        BuiltInType.DataValue => new DataValue[length],
        BuiltInType.Variant => new Variant[length],
        BuiltInType.DiagnosticInfo => new DiagnosticInfo?[length],
        _ => new object?[length],
    };

    private object? ReadScalar(BuiltInType type) => type switch
    {
        BuiltInType.Null => null,
        BuiltInType.Boolean => ReadBoolean(),
        BuiltInType.SByte => ReadSByte(),
        BuiltInType.Byte => ReadByte(),
        BuiltInType.Int16 => ReadInt16(),
        BuiltInType.UInt16 => ReadUInt16(),
        BuiltInType.Int32 => ReadInt32(),
        BuiltInType.UInt32 => ReadUInt32(),
        BuiltInType.Int64 => ReadInt64(),
        BuiltInType.UInt64 => ReadUInt64(),
        BuiltInType.Float => ReadFloat(),
        BuiltInType.Double => ReadDouble(),
        BuiltInType.String => ReadString(),
        BuiltInType.DateTime => ReadDateTime(),
        BuiltInType.Guid => ReadGuid(),
        BuiltInType.ByteString or BuiltInType.XmlElement => ReadByteString(),
        BuiltInType.NodeId => ReadNodeId(),
        BuiltInType.ExpandedNodeId => ReadExpandedNodeId(),
        BuiltInType.StatusCode => ReadStatusCode(),
        BuiltInType.QualifiedName => ReadQualifiedName(),
        BuiltInType.LocalizedText => ReadLocalizedText(),
        BuiltInType.ExtensionObject => ReadExtensionObject(),
        BuiltInType.DataValue => ReadDataValue(),
        BuiltInType.Variant => ReadVariant(),
        BuiltInType.DiagnosticInfo => ReadDiagnosticInfo(),
        _ => throw new UaDecodingException($"Expected a built-in type id 0..25 but found {(int)type}"),
    };

    public DataValue ReadDataValue()
    {
        if (++_depth > MaxNesting) throw new UaDecodingException($"Expected at most {MaxNesting} nested DataValues");
        try
        {
            var mask = ReadByte();
            var value = (mask & 0x01) != 0 ? ReadVariant() : Variant.Null;
            var status = (mask & 0x02) != 0 ? ReadStatusCode() : StatusCode.Good;
            DateTime? source = (mask & 0x04) != 0 ? ReadDateTime() : null;
            var sourcePico = (mask & 0x10) != 0 ? ReadUInt16() : (ushort)0;
            DateTime? server = (mask & 0x08) != 0 ? ReadDateTime() : null;
            var serverPico = (mask & 0x20) != 0 ? ReadUInt16() : (ushort)0;
            return new DataValue(value, status, source, sourcePico, server, serverPico);
        }
        finally
        {
            _depth--;
        }
    }

    public DiagnosticInfo? ReadDiagnosticInfo()
    {
        if (++_depth > MaxNesting) throw new UaDecodingException($"Expected at most {MaxNesting} nested DiagnosticInfos");
        try
        {
            var mask = ReadByte();
            if (mask == 0) return null;
            int? symbolicId = (mask & 0x01) != 0 ? ReadInt32() : null;
            int? namespaceUri = (mask & 0x02) != 0 ? ReadInt32() : null;
            int? locale = (mask & 0x08) != 0 ? ReadInt32() : null;
            int? localizedText = (mask & 0x04) != 0 ? ReadInt32() : null;
            var additional = (mask & 0x10) != 0 ? ReadString() : null;
            StatusCode? inner = (mask & 0x20) != 0 ? ReadStatusCode() : null;
            var innerInfo = (mask & 0x40) != 0 ? ReadDiagnosticInfo() : null;
            return new DiagnosticInfo(symbolicId, namespaceUri, locale, localizedText, additional, inner, innerInfo);
        }
        finally
        {
            _depth--;
        }
    }
}
