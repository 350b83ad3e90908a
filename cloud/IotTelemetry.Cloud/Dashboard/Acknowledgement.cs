namespace IotTelemetry.Cloud.Dashboard;

/// <summary>Who acknowledged an alert, when, and what they wrote.</summary>
public sealed record Acknowledgement(string By, string Comment, long AtMicros)
{
    private const string Prefix = "acknowledged by ";

    /// <summary>The journal keeps it in the Acknowledged event's message: <c>acknowledged by NAME: COMMENT</c>.</summary>
    public string ToMessage() => Prefix + By + ": " + Comment;

    public static Acknowledgement FromMessage(string message, long atMicros)
    {
        if (!message.StartsWith(Prefix, StringComparison.Ordinal)) return new Acknowledgement("", message, atMicros);
        var rest = message[Prefix.Length..];
        var colon = rest.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? new Acknowledgement(rest, "", atMicros) : new Acknowledgement(rest[..colon], rest[(colon + 2)..], atMicros);
    }
}
