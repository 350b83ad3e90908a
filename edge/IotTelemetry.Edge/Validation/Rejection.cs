namespace IotTelemetry.Edge.Validation;

/// <summary>A message the agent will not turn into readings: a reason code and a sentence for people.</summary>
public sealed record Rejection(string Reason, string Detail);
