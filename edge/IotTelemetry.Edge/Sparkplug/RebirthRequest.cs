namespace IotTelemetry.Edge.Sparkplug;

/// <summary>The host application wants edge node <paramref name="Node"/> of <paramref name="Group"/> to rebirth; <paramref name="Reason"/> is a dead-letter reason.</summary>
public sealed record RebirthRequest(string Group, string Node, string Reason);
