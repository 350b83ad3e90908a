namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>
/// A 32-bit OPC UA status code (Part 4, 7.39): the top two bits give the severity (00 Good, 01 Uncertain, 10/11 Bad),
/// bits 16..27 the sub-code, the low bits flags such as the info type.
/// </summary>
internal readonly record struct StatusCode(uint Code)
{
    public static readonly StatusCode Good = new(0);

    public bool IsGood => (Code & 0xC0000000u) == 0;
    public bool IsUncertain => (Code & 0xC0000000u) == 0x40000000u;
    public bool IsBad => (Code & 0x80000000u) != 0;

    /// <summary>The code without its flag bits (the low 16 bits), as listed in the standard's table.</summary>
    public uint CodeWithoutFlags => Code & 0xFFFF0000u;

    public string Name => StatusCodes.NameOf(Code);

    public override string ToString() => $"{Name} (0x{Code:X8})";
}
