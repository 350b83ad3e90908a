namespace IotTelemetry.Anomaly.Internal;

/// <summary>Builds the human text of an event from the reading's value, the score and the threshold.</summary>
internal delegate string Describe(double value, double score, double threshold);
