namespace IotTelemetry.Simulator;

/// <summary>One reading the simulated plant emits, with the topic it is published on.</summary>
public sealed record SimulatedReading(string Topic, string Site, string Asset, string Sensor, long TimestampMicros, double Value,
    string Unit, FaultKind? Fault);
