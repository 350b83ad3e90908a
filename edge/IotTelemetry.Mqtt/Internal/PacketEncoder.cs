namespace IotTelemetry.Mqtt.Internal;

/// <summary>Builds the control packets a client sends (MQTT 3.1.1 section 3 / MQTT 5 section 3).</summary>
internal static class PacketEncoder
{
    public const int AckSize = 4;

    private static ReadOnlySpan<byte> ProtocolName => "MQTT"u8;

    public static byte[] Connect(MqttClientOptions o)
    {
        var v5 = o.ProtocolVersion == MqttProtocolVersion.V500;
        MqttProperties? props = null;
        if (v5)
        {
            props = new MqttProperties
            {
                ReceiveMaximum = checked((ushort)o.ReceiveMaximum),
                MaximumPacketSize = (uint)o.MaximumPacketSize,
            };
            if (o.SessionExpiry > TimeSpan.Zero)
                props.SessionExpiryInterval = o.SessionExpiry.TotalSeconds >= uint.MaxValue ? uint.MaxValue : (uint)o.SessionExpiry.TotalSeconds;
        }

        var remaining = 2 + ProtocolName.Length + 1 + 1 + 2;
        if (v5) remaining += MqttPropertiesCodec.GetBlockSize(props);
        remaining += WireWriter.StringSize(o.ClientId ?? "");
        var password = o.Password is null ? null : System.Text.Encoding.UTF8.GetBytes(o.Password);
        if (o.Username is not null) remaining += WireWriter.StringSize(o.Username);
        if (password is not null) remaining += 2 + password.Length;

        var packet = new byte[WireWriter.PacketSize(remaining)];
        var w = new WireWriter(packet);
        w.WriteFixedHeader(PacketType.Connect, 0, remaining);
        w.WriteBinary(ProtocolName);
        w.WriteByte((byte)o.ProtocolVersion);
        var flags = 0;
        if (o.Username is not null) flags |= 0x80;
        if (password is not null) flags |= 0x40;
        if (o.CleanSession) flags |= 0x02;
        w.WriteByte((byte)flags);
        w.WriteUInt16((ushort)o.KeepAlive.TotalSeconds);
        if (v5) MqttPropertiesCodec.WriteBlock(ref w, props);
        w.WriteString(o.ClientId ?? "");
        if (o.Username is not null) w.WriteString(o.Username);
        if (password is not null)
        {
            w.WriteBinary(password);
            Array.Clear(password);
        }
        return packet;
    }

    /// <summary>Whole size of a PUBLISH packet; <paramref name="topicSize"/> is from <see cref="WireWriter.StringSize"/>.</summary>
    public static int GetPublishSize(int topicSize, int payloadLength, MqttQualityOfService qos, MqttProtocolVersion version, MqttProperties? props)
    {
        long remaining = topicSize + (long)payloadLength + (qos == MqttQualityOfService.AtMostOnce ? 0 : 2);
        if (version == MqttProtocolVersion.V500) remaining += MqttPropertiesCodec.GetBlockSize(props);
        if (remaining > VariableByteInteger.MaxValue) return int.MaxValue;
        return WireWriter.PacketSize((int)remaining);
    }

    /// <summary>
    /// Writes a PUBLISH into <paramref name="destination"/> (sized by <see cref="GetPublishSize"/>) and returns
    /// the offset of its packet identifier, or -1 for QoS 0.
    /// </summary>
    public static int WritePublish(Span<byte> destination, string topic, int topicSize, ReadOnlySpan<byte> payload,
        MqttQualityOfService qos, bool retain, bool dup, ushort packetId, MqttProtocolVersion version, MqttProperties? props)
    {
        var remaining = topicSize + payload.Length + (qos == MqttQualityOfService.AtMostOnce ? 0 : 2);
        if (version == MqttProtocolVersion.V500) remaining += MqttPropertiesCodec.GetBlockSize(props);
        var flags = ((int)qos << 1) | (retain ? 1 : 0) | (dup ? 0x08 : 0);
        var w = new WireWriter(destination);
        w.WriteFixedHeader(PacketType.Publish, flags, remaining);
        w.WriteString(topic);
        var idOffset = -1;
        if (qos != MqttQualityOfService.AtMostOnce)
        {
            idOffset = w.Position;
            w.WriteUInt16(packetId);
        }
        if (version == MqttProtocolVersion.V500) MqttPropertiesCodec.WriteBlock(ref w, props);
        w.WriteBytes(payload);
        return idOffset;
    }

    /// <summary>PUBACK, PUBREC, PUBREL or PUBCOMP with success (the short form both versions accept).</summary>
    public static void WriteAck(Span<byte> destination, PacketType type, ushort packetId)
    {
        var w = new WireWriter(destination);
        w.WriteFixedHeader(type, type == PacketType.PubRel ? 0x02 : 0, 2);
        w.WriteUInt16(packetId);
    }

    public static byte[] Subscribe(ushort packetId, IReadOnlyList<KeyValuePair<string, MqttQualityOfService>> filters, MqttProtocolVersion version)
    {
        var remaining = 2 + (version == MqttProtocolVersion.V500 ? 1 : 0);
        foreach (var f in filters) remaining += WireWriter.StringSize(f.Key) + 1;
        var packet = new byte[WireWriter.PacketSize(remaining)];
        var w = new WireWriter(packet);
        w.WriteFixedHeader(PacketType.Subscribe, 0x02, remaining);
        w.WriteUInt16(packetId);
        if (version == MqttProtocolVersion.V500) w.WriteVariableByteInteger(0);
        foreach (var f in filters)
        {
            w.WriteString(f.Key);
            w.WriteByte((byte)f.Value);
        }
        return packet;
    }

    public static byte[] Unsubscribe(ushort packetId, string filter, MqttProtocolVersion version)
    {
        var remaining = 2 + (version == MqttProtocolVersion.V500 ? 1 : 0) + WireWriter.StringSize(filter);
        var packet = new byte[WireWriter.PacketSize(remaining)];
        var w = new WireWriter(packet);
        w.WriteFixedHeader(PacketType.Unsubscribe, 0x02, remaining);
        w.WriteUInt16(packetId);
        if (version == MqttProtocolVersion.V500) w.WriteVariableByteInteger(0);
        w.WriteString(filter);
        return packet;
    }

    public static ReadOnlySpan<byte> PingReq => [0xC0, 0x00];

    /// <summary>DISCONNECT; with MQTT 5 reason 0 "normal disconnection" keeps the session for its expiry interval.</summary>
    public static ReadOnlySpan<byte> Disconnect => [0xE0, 0x00];
}
