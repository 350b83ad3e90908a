namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>Human-readable text with an optional locale (Part 6, 5.2.2.14).</summary>
internal sealed record LocalizedText(string? Locale, string? Text)
{
    public static readonly LocalizedText Null = new(null, null);

    public override string ToString() => Text ?? "";
}
