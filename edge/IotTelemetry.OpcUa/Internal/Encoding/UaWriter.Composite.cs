namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>The masked encodings: NodeId, ExpandedNodeId, ExtensionObject, Variant, DataValue, DiagnosticInfo.</summary>
internal sealed partial class UaWriter
{
    /// <summary>Part 6, 5.2.2.9: the smallest of the two-byte, four-byte and numeric forms, or string, GUID, opaque.</summary>
    public void WriteNodeId(NodeId value) => WriteNodeId(value, 0);

    private void WriteNodeId(NodeId value, byte flags)
    {
        switch (value.IdType)
        {
            case IdType.Numeric when value.NamespaceIndex == 0 && value.Numeric <= byte.MaxValue:
                WriteByte((byte)(0x00 | flags));
                WriteByte((byte)value.Numeric);
                break;
            case IdType.Numeric when value.NamespaceIndex <= byte.MaxValue && value.Numeric <= ushort.MaxValue:
                WriteByte((byte)(0x01 | flags));
                WriteByte((byte)value.NamespaceIndex);
                WriteUInt16((ushort)value.Numeric);
                break;
            case IdType.Numeric:
                WriteByte((byte)(0x02 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteUInt32(value.Numeric);
                break;
            case IdType.String:
                WriteByte((byte)(0x03 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteString(value.Text);
                break;
            case IdType.Guid:
                WriteByte((byte)(0x04 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteGuid(value.Guid);
                break;
            default:
                WriteByte((byte)(0x05 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteByteString(value.Opaque);
                break;
        }
    }

    /// <summary>Part 6, 5.2.2.10: NodeId with 0x80 (NamespaceUri follows) and 0x40 (ServerIndex follows) in the first byte.</summary>
    public void WriteExpandedNodeId(ExpandedNodeId value)
    {
        byte flags = 0;
        if (value.NamespaceUri is not null) flags |= 0x80;
        if (value.ServerIndex != 0) flags |= 0x40;
        WriteNodeId(value.NodeId, flags);
        if (value.NamespaceUri is not null) WriteString(value.NamespaceUri);
        if (value.ServerIndex != 0) WriteUInt32(value.ServerIndex);
    }

    /// <summary>Part 6, 5.2.2.15: TypeId, encoding byte (0 none, 1 binary, 2 XML), Int32 length and the body.</summary>
    public void WriteExtensionObject(ExtensionObject value)
    {
        WriteNodeId(value.TypeId);
        WriteByte(value.Encoding);
        if (value.Encoding == 0) return;
        if (value.Body is IUaEncodeable body)
        {
            var lengthAt = _position;
            WriteInt32(0);
            var start = _position;
            body.Encode(this);
            PatchUInt32(lengthAt, (uint)(_position - start));
        }
        else WriteByteString(value.RawBody);
    }

    /// <summary>Part 6, 5.2.2.16: mask = type id (bits 0..5), 0x80 array, 0x40 dimensions; then value(s), then dimensions.</summary>
    public void WriteVariant(Variant value)
    {
        if (value.Value is null && !value.IsArray)
        {
            WriteByte(0);
            return;
        }
        var mask = (byte)value.Type;
        if (value.IsArray)
        {
            mask |= 0x80;
            if (value.Dimensions is not null) mask |= 0x40;
            WriteByte(mask);
            var array = (Array?)value.Value;
            if (array is null)
            {
                WriteInt32(-1);
            }
            else
            {
                WriteInt32(array.Length);
                foreach (var item in array) WriteScalar(value.Type, item);
            }
            if (value.Dimensions is not null) WriteArray(value.Dimensions, static (w, d) => w.WriteInt32(d));
            return;
        }
        WriteByte(mask);
        WriteScalar(value.Type, value.Value);
    }

    private void WriteScalar(BuiltInType type, object? item)
    {
        switch (type)
        {
            case BuiltInType.Boolean: WriteBoolean((bool)item!); break;
            case BuiltInType.SByte: WriteSByte((sbyte)item!); break;
            case BuiltInType.Byte: WriteByte((byte)item!); break;
            case BuiltInType.Int16: WriteInt16((short)item!); break;
            case BuiltInType.UInt16: WriteUInt16((ushort)item!); break;
            case BuiltInType.Int32: WriteInt32((int)item!); break;
            case BuiltInType.UInt32: WriteUInt32((uint)item!); break;
            case BuiltInType.Int64: WriteInt64((long)item!); break;
            case BuiltInType.UInt64: WriteUInt64((ulong)item!); break;
            case BuiltInType.Float: WriteFloat((float)item!); break;
            case BuiltInType.Double: WriteDouble((double)item!); break;
            case BuiltInType.String: WriteString((string?)item); break;
            case BuiltInType.DateTime: WriteDateTime((DateTime)item!); break;
            case BuiltInType.Guid: WriteGuid((Guid)item!); break;
            case BuiltInType.ByteString:
            case BuiltInType.XmlElement: WriteByteString((byte[]?)item); break;
            case BuiltInType.NodeId: WriteNodeId((NodeId)item!); break;
            case BuiltInType.ExpandedNodeId: WriteExpandedNodeId((ExpandedNodeId)item!); break;
            case BuiltInType.StatusCode: WriteStatusCode((StatusCode)item!); break;
            case BuiltInType.QualifiedName: WriteQualifiedName((QualifiedName)item!); break;
            case BuiltInType.LocalizedText: WriteLocalizedText((LocalizedText)item!); break;
            case BuiltInType.ExtensionObject: WriteExtensionObject((ExtensionObject)item!); break;
            case BuiltInType.DataValue: WriteDataValue((DataValue)item!); break;
            case BuiltInType.Variant: WriteVariant((Variant)item!); break;
            case BuiltInType.DiagnosticInfo: WriteDiagnosticInfo((DiagnosticInfo?)item); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "Expected a built-in type id 1..25");
        }
    }

    /// <summary>Part 6, 5.2.2.17: mask 0x01 value, 0x02 status, 0x04 source time, 0x08 server time, 0x10/0x20 picoseconds.</summary>
    public void WriteDataValue(DataValue value)
    {
        byte mask = 0;
        var hasValue = value.Value.Value is not null || value.Value.IsArray;
        if (hasValue) mask |= 0x01;
        if (value.Status.Code != 0) mask |= 0x02;
        if (value.SourceTimestamp is not null) mask |= 0x04;
        if (value.ServerTimestamp is not null) mask |= 0x08;
        if (value.SourcePicoseconds != 0) mask |= 0x10;
        if (value.ServerPicoseconds != 0) mask |= 0x20;
        WriteByte(mask);
        if (hasValue) WriteVariant(value.Value);
        if (value.Status.Code != 0) WriteStatusCode(value.Status);
        if (value.SourceTimestamp is { } source) WriteDateTime(source);
        if (value.SourcePicoseconds != 0) WriteUInt16(value.SourcePicoseconds);
        if (value.ServerTimestamp is { } server) WriteDateTime(server);
        if (value.ServerPicoseconds != 0) WriteUInt16(value.ServerPicoseconds);
    }

    /// <summary>Part 6, 5.2.2.12: mask bits 0x01 SymbolicId, 0x02 NamespaceUri, 0x04 LocalizedText, 0x08 Locale,
    /// 0x10 AdditionalInfo, 0x20 InnerStatusCode, 0x40 InnerDiagnosticInfo; fields follow in the table's order.</summary>
    public void WriteDiagnosticInfo(DiagnosticInfo? value)
    {
        if (value is null)
        {
            WriteByte(0);
            return;
        }
        byte mask = 0;
        if (value.SymbolicId is not null) mask |= 0x01;
        if (value.NamespaceUri is not null) mask |= 0x02;
        if (value.LocalizedText is not null) mask |= 0x04;
        if (value.Locale is not null) mask |= 0x08;
        if (value.AdditionalInfo is not null) mask |= 0x10;
        if (value.InnerStatusCode is not null) mask |= 0x20;
        if (value.InnerDiagnosticInfo is not null) mask |= 0x40;
        WriteByte(mask);
        if (value.SymbolicId is { } symbolicId) WriteInt32(symbolicId);
        if (value.NamespaceUri is { } namespaceUri) WriteInt32(namespaceUri);
        if (value.Locale is { } locale) WriteInt32(locale);
        if (value.LocalizedText is { } localizedText) WriteInt32(localizedText);
        if (value.AdditionalInfo is not null) WriteString(value.AdditionalInfo);
        if (value.InnerStatusCode is { } inner) WriteStatusCode(inner);
        if (value.InnerDiagnosticInfo is not null) WriteDiagnosticInfo(value.InnerDiagnosticInfo);
    }
}
