namespace IotTelemetry.TestKit;

/// <summary>DuckDB rejected a statement or returned output that could not be parsed; the message carries DuckDB's error.</summary>
public sealed class DuckDbException(string message) : Exception(message);
