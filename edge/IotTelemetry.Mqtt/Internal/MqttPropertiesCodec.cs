using P = IotTelemetry.Mqtt.Internal.MqttPropertyId;

namespace IotTelemetry.Mqtt.Internal;

/// <summary>
/// Encodes and decodes an MQTT 5 property block: a variable byte integer length, then
/// identifier/value pairs whose value type is fixed by the identifier.
/// </summary>
internal static class MqttPropertiesCodec
{
    /// <summary>Bytes of the property block including its length prefix; 1 when <paramref name="p"/> is null.</summary>
    public static int GetBlockSize(MqttProperties? p)
    {
        var content = GetContentSize(p);
        return VariableByteInteger.GetSize(content) + content;
    }

    public static int GetContentSize(MqttProperties? p)
    {
        if (p is null) return 0;
        var size = 0;
        if (p.PayloadFormatIndicator.HasValue) size += 2;
        if (p.MessageExpiryInterval.HasValue) size += 5;
        if (p.ContentType is not null) size += 1 + WireWriter.StringSize(p.ContentType);
        if (p.ResponseTopic is not null) size += 1 + WireWriter.StringSize(p.ResponseTopic);
        if (p.CorrelationData is not null) size += 3 + p.CorrelationData.Length;
        if (p.SubscriptionIdentifiers is not null)
            foreach (var id in p.SubscriptionIdentifiers) size += 1 + VariableByteInteger.GetSize(id);
        if (p.SessionExpiryInterval.HasValue) size += 5;
        if (p.AssignedClientIdentifier is not null) size += 1 + WireWriter.StringSize(p.AssignedClientIdentifier);
        if (p.ServerKeepAlive.HasValue) size += 3;
        if (p.AuthenticationMethod is not null) size += 1 + WireWriter.StringSize(p.AuthenticationMethod);
        if (p.AuthenticationData is not null) size += 3 + p.AuthenticationData.Length;
        if (p.RequestProblemInformation.HasValue) size += 2;
        if (p.WillDelayInterval.HasValue) size += 5;
        if (p.RequestResponseInformation.HasValue) size += 2;
        if (p.ResponseInformation is not null) size += 1 + WireWriter.StringSize(p.ResponseInformation);
        if (p.ServerReference is not null) size += 1 + WireWriter.StringSize(p.ServerReference);
        if (p.ReasonString is not null) size += 1 + WireWriter.StringSize(p.ReasonString);
        if (p.ReceiveMaximum.HasValue) size += 3;
        if (p.TopicAliasMaximum.HasValue) size += 3;
        if (p.TopicAlias.HasValue) size += 3;
        if (p.MaximumQos.HasValue) size += 2;
        if (p.RetainAvailable.HasValue) size += 2;
        if (p.UserProperties is not null)
            foreach (var u in p.UserProperties) size += 1 + WireWriter.StringSize(u.Name) + WireWriter.StringSize(u.Value);
        if (p.MaximumPacketSize.HasValue) size += 5;
        if (p.WildcardSubscriptionAvailable.HasValue) size += 2;
        if (p.SubscriptionIdentifiersAvailable.HasValue) size += 2;
        if (p.SharedSubscriptionAvailable.HasValue) size += 2;
        return size;
    }

    /// <summary>Writes the length prefix and the properties.</summary>
    public static void WriteBlock(ref WireWriter w, MqttProperties? p)
    {
        w.WriteVariableByteInteger(GetContentSize(p));
        if (p is null) return;
        if (p.PayloadFormatIndicator is { } pfi) { w.WriteByte(P.PayloadFormatIndicator); w.WriteByte(pfi); }
        if (p.MessageExpiryInterval is { } mei) { w.WriteByte(P.MessageExpiryInterval); w.WriteUInt32(mei); }
        if (p.ContentType is { } ct) { w.WriteByte(P.ContentType); w.WriteString(ct); }
        if (p.ResponseTopic is { } rt) { w.WriteByte(P.ResponseTopic); w.WriteString(rt); }
        if (p.CorrelationData is { } cd) { w.WriteByte(P.CorrelationData); w.WriteBinary(cd); }
        if (p.SubscriptionIdentifiers is { } sids)
            foreach (var id in sids) { w.WriteByte(P.SubscriptionIdentifier); w.WriteVariableByteInteger(id); }
        if (p.SessionExpiryInterval is { } sei) { w.WriteByte(P.SessionExpiryInterval); w.WriteUInt32(sei); }
        if (p.AssignedClientIdentifier is { } aci) { w.WriteByte(P.AssignedClientIdentifier); w.WriteString(aci); }
        if (p.ServerKeepAlive is { } ska) { w.WriteByte(P.ServerKeepAlive); w.WriteUInt16(ska); }
        if (p.AuthenticationMethod is { } am) { w.WriteByte(P.AuthenticationMethod); w.WriteString(am); }
        if (p.AuthenticationData is { } ad) { w.WriteByte(P.AuthenticationData); w.WriteBinary(ad); }
        if (p.RequestProblemInformation is { } rpi) { w.WriteByte(P.RequestProblemInformation); w.WriteByte(rpi); }
        if (p.WillDelayInterval is { } wdi) { w.WriteByte(P.WillDelayInterval); w.WriteUInt32(wdi); }
        if (p.RequestResponseInformation is { } rri) { w.WriteByte(P.RequestResponseInformation); w.WriteByte(rri); }
        if (p.ResponseInformation is { } ri) { w.WriteByte(P.ResponseInformation); w.WriteString(ri); }
        if (p.ServerReference is { } sr) { w.WriteByte(P.ServerReference); w.WriteString(sr); }
        if (p.ReasonString is { } rs) { w.WriteByte(P.ReasonString); w.WriteString(rs); }
        if (p.ReceiveMaximum is { } rm) { w.WriteByte(P.ReceiveMaximum); w.WriteUInt16(rm); }
        if (p.TopicAliasMaximum is { } tam) { w.WriteByte(P.TopicAliasMaximum); w.WriteUInt16(tam); }
        if (p.TopicAlias is { } ta) { w.WriteByte(P.TopicAlias); w.WriteUInt16(ta); }
        if (p.MaximumQos is { } mq) { w.WriteByte(P.MaximumQos); w.WriteByte(mq); }
        if (p.RetainAvailable is { } ra) { w.WriteByte(P.RetainAvailable); w.WriteByte(ra); }
        if (p.UserProperties is { } ups)
            foreach (var u in ups) { w.WriteByte(P.UserProperty); w.WriteString(u.Name); w.WriteString(u.Value); }
        if (p.MaximumPacketSize is { } mps) { w.WriteByte(P.MaximumPacketSize); w.WriteUInt32(mps); }
        if (p.WildcardSubscriptionAvailable is { } wsa) { w.WriteByte(P.WildcardSubscriptionAvailable); w.WriteByte(wsa); }
        if (p.SubscriptionIdentifiersAvailable is { } sia) { w.WriteByte(P.SubscriptionIdentifiersAvailable); w.WriteByte(sia); }
        if (p.SharedSubscriptionAvailable is { } ssa) { w.WriteByte(P.SharedSubscriptionAvailable); w.WriteByte(ssa); }
    }

    /// <summary>Reads a property block; null when it is empty (the common case, no allocation).</summary>
    public static MqttProperties? ReadBlock(ref WireReader r)
    {
        var length = r.ReadVariableByteInteger();
        if (length == 0) return null;
        if (length > r.Remaining)
            throw new MqttProtocolException($"Expected a property block of {length} bytes but the packet has only {r.Remaining} left");
        var block = new WireReader(r.ReadBytes(length));
        var p = new MqttProperties();
        while (!block.End)
        {
            var id = block.ReadByte();
            switch (id)
            {
                case P.PayloadFormatIndicator: p.PayloadFormatIndicator = block.ReadByte(); break;
                case P.MessageExpiryInterval: p.MessageExpiryInterval = block.ReadUInt32(); break;
                case P.ContentType: p.ContentType = block.ReadString(); break;
                case P.ResponseTopic: p.ResponseTopic = block.ReadString(); break;
                case P.CorrelationData: p.CorrelationData = block.ReadBinary().ToArray(); break;
                case P.SubscriptionIdentifier: (p.SubscriptionIdentifiers ??= []).Add(block.ReadVariableByteInteger()); break;
                case P.SessionExpiryInterval: p.SessionExpiryInterval = block.ReadUInt32(); break;
                case P.AssignedClientIdentifier: p.AssignedClientIdentifier = block.ReadString(); break;
                case P.ServerKeepAlive: p.ServerKeepAlive = block.ReadUInt16(); break;
                case P.AuthenticationMethod: p.AuthenticationMethod = block.ReadString(); break;
                case P.AuthenticationData: p.AuthenticationData = block.ReadBinary().ToArray(); break;
                case P.RequestProblemInformation: p.RequestProblemInformation = block.ReadByte(); break;
                case P.WillDelayInterval: p.WillDelayInterval = block.ReadUInt32(); break;
                case P.RequestResponseInformation: p.RequestResponseInformation = block.ReadByte(); break;
                case P.ResponseInformation: p.ResponseInformation = block.ReadString(); break;
                case P.ServerReference: p.ServerReference = block.ReadString(); break;
                case P.ReasonString: p.ReasonString = block.ReadString(); break;
                case P.ReceiveMaximum: p.ReceiveMaximum = block.ReadUInt16(); break;
                case P.TopicAliasMaximum: p.TopicAliasMaximum = block.ReadUInt16(); break;
                case P.TopicAlias: p.TopicAlias = block.ReadUInt16(); break;
                case P.MaximumQos: p.MaximumQos = block.ReadByte(); break;
                case P.RetainAvailable: p.RetainAvailable = block.ReadByte(); break;
                case P.UserProperty:
                    var name = block.ReadString();
                    (p.UserProperties ??= []).Add(new MqttUserProperty(name, block.ReadString()));
                    break;
                case P.MaximumPacketSize: p.MaximumPacketSize = block.ReadUInt32(); break;
                case P.WildcardSubscriptionAvailable: p.WildcardSubscriptionAvailable = block.ReadByte(); break;
                case P.SubscriptionIdentifiersAvailable: p.SubscriptionIdentifiersAvailable = block.ReadByte(); break;
                case P.SharedSubscriptionAvailable: p.SharedSubscriptionAvailable = block.ReadByte(); break;
                default:
                    throw new MqttProtocolException($"Expected a known MQTT 5 property identifier but got 0x{id:X2}");
            }
        }
        return p;
    }
}
