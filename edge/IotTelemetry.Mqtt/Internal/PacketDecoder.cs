namespace IotTelemetry.Mqtt.Internal;

/// <summary>Decodes the bodies (after the fixed header) of packets a broker sends to a client.</summary>
internal static class PacketDecoder
{
    public static ConnAckPacket ConnAck(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new WireReader(body);
        var flags = r.ReadByte();
        var code = r.ReadByte();
        var props = version == MqttProtocolVersion.V500 && !r.End ? MqttPropertiesCodec.ReadBlock(ref r) : null;
        return new ConnAckPacket((flags & 0x01) != 0, code, props);
    }

    public static PublishPacket Publish(ReadOnlySpan<byte> body, int flags, MqttProtocolVersion version)
    {
        var qosBits = (flags >> 1) & 0x03;
        if (qosBits == 3) throw new MqttProtocolException("Expected PUBLISH QoS 0, 1 or 2 but the flags say 3");
        var r = new WireReader(body);
        var topic = r.ReadString();
        ushort packetId = 0;
        if (qosBits > 0)
        {
            packetId = r.ReadUInt16();
            if (packetId == 0) throw new MqttProtocolException("Expected a non-zero packet identifier on a QoS 1/2 PUBLISH, got 0");
        }
        var props = version == MqttProtocolVersion.V500 ? MqttPropertiesCodec.ReadBlock(ref r) : null;
        return new PublishPacket(topic, packetId, (MqttQualityOfService)qosBits, (flags & 0x08) != 0, (flags & 0x01) != 0, props, r.ReadToEnd());
    }

    /// <summary>PUBACK, PUBREC, PUBREL, PUBCOMP: packet id, then (MQTT 5, optional) reason code and properties.</summary>
    public static AckPacket Ack(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new WireReader(body);
        var id = r.ReadUInt16();
        byte code = 0;
        string? reason = null;
        if (version == MqttProtocolVersion.V500 && !r.End)
        {
            code = r.ReadByte();
            if (!r.End) reason = MqttPropertiesCodec.ReadBlock(ref r)?.ReasonString;
        }
        return new AckPacket(id, code, reason);
    }

    public static SubAckPacket SubAck(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var r = new WireReader(body);
        var id = r.ReadUInt16();
        var reason = version == MqttProtocolVersion.V500 ? MqttPropertiesCodec.ReadBlock(ref r)?.ReasonString : null;
        return new SubAckPacket(id, r.ReadToEnd().ToArray(), reason);
    }

    public static DisconnectPacket Disconnect(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        if (version != MqttProtocolVersion.V500 || body.IsEmpty) return new DisconnectPacket(0, null);
        var r = new WireReader(body);
        var code = r.ReadByte();
        var reason = r.End ? null : MqttPropertiesCodec.ReadBlock(ref r)?.ReasonString;
        return new DisconnectPacket(code, reason);
    }
}
