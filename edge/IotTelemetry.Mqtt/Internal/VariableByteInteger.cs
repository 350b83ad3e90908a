namespace IotTelemetry.Mqtt.Internal;

/// <summary>
/// The MQTT variable byte integer (remaining length, property lengths): seven bits per byte,
/// least significant group first, the high bit set on every byte but the last; at most four bytes.
/// </summary>
internal static class VariableByteInteger
{
    public const int MaxValue = 268_435_455;

    public static int GetSize(int value)
    {
        if ((uint)value > MaxValue)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Expected a variable byte integer between 0 and {MaxValue}, got {value}");
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    /// <summary>Writes <paramref name="value"/> and returns how many bytes it took.</summary>
    public static int Write(Span<byte> destination, int value)
    {
        var size = GetSize(value);
        var v = (uint)value;
        for (var i = 0; i < size; i++)
        {
            var b = (byte)(v & 0x7F);
            v >>= 7;
            destination[i] = i < size - 1 ? (byte)(b | 0x80) : b;
        }
        return size;
    }

    /// <summary>
    /// Reads a value from the start of <paramref name="source"/>. False when more bytes are needed;
    /// throws when the encoding runs past four bytes.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out int value, out int consumed)
    {
        var result = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i >= source.Length)
            {
                value = 0;
                consumed = 0;
                return false;
            }
            var b = source[i];
            result |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                value = result;
                consumed = i + 1;
                return true;
            }
        }
        throw new MqttProtocolException("Expected a variable byte integer of at most 4 bytes, but the 4th byte has the continuation bit set");
    }
}
