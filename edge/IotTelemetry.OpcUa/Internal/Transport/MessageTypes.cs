namespace IotTelemetry.OpcUa.Internal.Transport;

/// <summary>The three-letter message types and chunk types of UA TCP and UA Secure Conversation (Part 6, 6.7.2 and 7.1.2).</summary>
internal static class MessageTypes
{
    public const uint Hello = 'H' | 'E' << 8 | 'L' << 16;
    public const uint Acknowledge = 'A' | 'C' << 8 | 'K' << 16;
    public const uint Error = 'E' | 'R' << 8 | 'R' << 16;
    public const uint ReverseHello = 'R' | 'H' << 8 | 'E' << 16;
    public const uint Message = 'M' | 'S' << 8 | 'G' << 16;
    public const uint OpenChannel = 'O' | 'P' << 8 | 'N' << 16;
    public const uint CloseChannel = 'C' | 'L' << 8 | 'O' << 16;

    public const byte Final = (byte)'F';
    public const byte Intermediate = (byte)'C';
    public const byte Abort = (byte)'A';

    public static string Name(uint type) =>
        new([(char)(type & 0xFF), (char)((type >> 8) & 0xFF), (char)((type >> 16) & 0xFF)]);
}
