using IotTelemetry.Mqtt.Internal;
using Xunit;

namespace IotTelemetry.Mqtt.Tests;

public sealed class PacketEncodingTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(127, new byte[] { 0x7F })]
    [InlineData(128, new byte[] { 0x80, 0x01 })]
    [InlineData(16_383, new byte[] { 0xFF, 0x7F })]
    [InlineData(16_384, new byte[] { 0x80, 0x80, 0x01 })]
    [InlineData(2_097_151, new byte[] { 0xFF, 0xFF, 0x7F })]
    [InlineData(2_097_152, new byte[] { 0x80, 0x80, 0x80, 0x01 })]
    [InlineData(268_435_455, new byte[] { 0xFF, 0xFF, 0xFF, 0x7F })]
    public void Remaining_length_is_encoded_as_the_spec_table_says_and_decodes_back(int value, byte[] expected)
    {
        var buffer = new byte[4];
        var written = VariableByteInteger.Write(buffer, value);

        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(expected.Length, VariableByteInteger.GetSize(value));
        Assert.True(VariableByteInteger.TryRead(buffer.AsSpan(0, written), out var decoded, out var consumed));
        Assert.Equal(value, decoded);
        Assert.Equal(written, consumed);
    }

    [Fact]
    public void Remaining_length_beyond_four_bytes_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VariableByteInteger.GetSize(268_435_456));
        var ex = Assert.Throws<MqttProtocolException>(() => VariableByteInteger.TryRead([0xFF, 0xFF, 0xFF, 0xFF, 0x01], out _, out _));
        Assert.Contains("at most 4 bytes", ex.Message);
    }

    [Fact]
    public void Incomplete_remaining_length_asks_for_more_bytes()
    {
        Assert.False(VariableByteInteger.TryRead([0x80, 0x80], out _, out _));
        Assert.False(VariableByteInteger.TryRead([], out _, out _));
    }

    [Fact]
    public void Every_mqtt5_property_type_survives_a_round_trip()
    {
        var original = new MqttProperties
        {
            PayloadFormatIndicator = 1,
            MessageExpiryInterval = 3600,
            ContentType = "application/x-sparkplug",
            ResponseTopic = "plant/reply",
            CorrelationData = [1, 2, 3, 0xFF],
            SubscriptionIdentifiers = [1, 268_435_455],
            SessionExpiryInterval = uint.MaxValue,
            AssignedClientIdentifier = "auto-1",
            ServerKeepAlive = 120,
            AuthenticationMethod = "SCRAM",
            AuthenticationData = [9, 8],
            RequestProblemInformation = 0,
            WillDelayInterval = 5,
            RequestResponseInformation = 1,
            ResponseInformation = "info",
            ServerReference = "other:1883",
            ReasonString = "ünïcödé reason",
            ReceiveMaximum = 65535,
            TopicAliasMaximum = 10,
            TopicAlias = 3,
            MaximumQos = 1,
            RetainAvailable = 0,
            UserProperties = [new("site", "plant-7"), new("site", "duplicate names allowed"), new("", "")],
            MaximumPacketSize = 268_435_460,
            WildcardSubscriptionAvailable = 1,
            SubscriptionIdentifiersAvailable = 0,
            SharedSubscriptionAvailable = 1,
        };
        var buffer = new byte[MqttPropertiesCodec.GetBlockSize(original)];
        var writer = new WireWriter(buffer);
        MqttPropertiesCodec.WriteBlock(ref writer, original);
        Assert.Equal(buffer.Length, writer.Position);

        var reader = new WireReader(buffer);
        var decoded = MqttPropertiesCodec.ReadBlock(ref reader);

        Assert.NotNull(decoded);
        Assert.True(reader.End);
        Assert.Equivalent(original, decoded, strict: true);
    }

    [Fact]
    public void Empty_property_block_is_one_zero_byte_and_reads_as_null()
    {
        Assert.Equal(1, MqttPropertiesCodec.GetBlockSize(null));
        var reader = new WireReader([0x00]);
        Assert.Null(MqttPropertiesCodec.ReadBlock(ref reader));
    }

    [Fact]
    public void Unknown_property_identifier_is_a_protocol_error_naming_it()
    {
        var ex = Assert.Throws<MqttProtocolException>(() =>
        {
            var reader = new WireReader([0x02, 0x7E, 0x00]);
            MqttPropertiesCodec.ReadBlock(ref reader);
        });
        Assert.Contains("0x7E", ex.Message);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.ExactlyOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.ExactlyOnce)]
    public void Publish_packet_decodes_to_what_was_encoded(MqttProtocolVersion version, MqttQualityOfService qos)
    {
        var payload = new byte[300];
        for (var i = 0; i < payload.Length; i++) payload[i] = (byte)i;
        const string topic = "plant/line-1/pump/€";
        var topicSize = WireWriter.StringSize(topic);
        var packet = new byte[PacketEncoder.GetPublishSize(topicSize, payload.Length, qos, version, null)];
        var idOffset = PacketEncoder.WritePublish(packet, topic, topicSize, payload, qos, retain: true, dup: true, packetId: 4242, version, null);

        Assert.Equal(qos == MqttQualityOfService.AtMostOnce ? -1 : 1 + 2 + topicSize, idOffset);
        Assert.True(VariableByteInteger.TryRead(packet.AsSpan(1), out var remaining, out var lengthSize));
        Assert.Equal(packet.Length, 1 + lengthSize + remaining);
        Assert.Equal(PacketType.Publish, (PacketType)(packet[0] >> 4));
        var decoded = PacketDecoder.Publish(packet.AsSpan(1 + lengthSize), packet[0] & 0x0F, version);
        Assert.Equal(topic, decoded.Topic);
        Assert.Equal(qos, decoded.Qos);
        Assert.True(decoded.Retain);
        Assert.True(decoded.Dup);
        Assert.Equal(qos == MqttQualityOfService.AtMostOnce ? 0 : 4242, decoded.PacketId);
        Assert.Equal(payload, decoded.Payload.ToArray());
    }

    [Fact]
    public void Acknowledgements_are_four_bytes_and_pubrel_carries_flag_bits_0010()
    {
        var buffer = new byte[PacketEncoder.AckSize];
        PacketEncoder.WriteAck(buffer, PacketType.PubAck, 0x1234);
        Assert.Equal(new byte[] { 0x40, 0x02, 0x12, 0x34 }, buffer);
        PacketEncoder.WriteAck(buffer, PacketType.PubRel, 1);
        Assert.Equal(new byte[] { 0x62, 0x02, 0x00, 0x01 }, buffer);
    }

    [Fact]
    public void Connect_packet_for_mqtt311_matches_the_spec_layout()
    {
        var packet = PacketEncoder.Connect(new MqttClientOptions
        {
            ProtocolVersion = MqttProtocolVersion.V311,
            ClientId = "c1",
            Username = "u",
            Password = "p",
            CleanSession = false,
            KeepAlive = TimeSpan.FromSeconds(60),
        });

        byte[] expected =
        [
            0x10, 20,                         // CONNECT, remaining length 10 + 10
            0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, // protocol name, level 4
            0xC0,                             // user name + password, clean session off
            0x00, 0x3C,                       // keep alive 60
            0x00, 0x02, (byte)'c', (byte)'1',
            0x00, 0x01, (byte)'u',
            0x00, 0x01, (byte)'p',
        ];
        Assert.Equal(expected, packet);
    }

    [Fact]
    public void Connect_packet_for_mqtt5_carries_session_expiry_receive_maximum_and_packet_size()
    {
        var packet = PacketEncoder.Connect(new MqttClientOptions
        {
            ProtocolVersion = MqttProtocolVersion.V500,
            ClientId = "c",
            CleanSession = true,
            SessionExpiry = TimeSpan.FromMinutes(10),
            ReceiveMaximum = 50,
            MaximumPacketSize = 4096,
        });

        Assert.True(VariableByteInteger.TryRead(packet.AsSpan(1), out _, out var lengthSize));
        var reader = new WireReader(packet.AsSpan(1 + lengthSize));
        Assert.Equal("MQTT", reader.ReadString());
        Assert.Equal(5, reader.ReadByte());
        Assert.Equal(0x02, reader.ReadByte());
        Assert.Equal(30, reader.ReadUInt16());
        var props = MqttPropertiesCodec.ReadBlock(ref reader);
        Assert.Equal(600u, props!.SessionExpiryInterval);
        Assert.Equal((ushort)50, props.ReceiveMaximum);
        Assert.Equal(4096u, props.MaximumPacketSize);
        Assert.Equal("c", reader.ReadString());
        Assert.True(reader.End);
    }

    [Fact]
    public void Truncated_packet_body_reports_expected_and_actual_sizes()
    {
        var ex = Assert.Throws<MqttProtocolException>(() => PacketDecoder.Ack([0x01], MqttProtocolVersion.V311));
        Assert.Equal("Expected at least 2 bytes but there are only 1", ex.Message);
    }

    [Fact]
    public void Mqtt5_acknowledgement_reason_code_and_reason_string_are_decoded()
    {
        // PUBACK body: id 7, reason 0x87 (not authorized), properties: reason string "no".
        byte[] body = [0x00, 0x07, 0x87, 0x05, 0x1F, 0x00, 0x02, (byte)'n', (byte)'o'];
        var ack = PacketDecoder.Ack(body, MqttProtocolVersion.V500);
        Assert.Equal(new AckPacket(7, 0x87, "no"), ack);
        Assert.Equal(new AckPacket(7, 0, null), PacketDecoder.Ack(body.AsSpan(0, 2), MqttProtocolVersion.V500));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, 4, "bad user name or password", "4")]
    [InlineData(MqttProtocolVersion.V500, 0x86, "bad user name or password", "0x86")]
    [InlineData(MqttProtocolVersion.V311, 5, "not authorized", "5")]
    [InlineData(MqttProtocolVersion.V500, 0x97, "quota exceeded", "0x97")]
    public void Connack_codes_are_described_per_protocol_version(MqttProtocolVersion version, byte code, string text, string formatted)
    {
        Assert.Equal(text, ReasonCodes.DescribeConnAck(code, version));
        Assert.Equal(formatted, ReasonCodes.Format(code, version));
    }
}
