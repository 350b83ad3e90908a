namespace IotTelemetry.Mqtt.Internal;

/// <summary>One framed packet: its first byte and its body, valid until the next read.</summary>
internal readonly record struct RawPacket(byte Header, ReadOnlyMemory<byte> Body)
{
    public PacketType Type => (PacketType)(Header >> 4);
    public int Flags => Header & 0x0F;
}
