namespace IotTelemetry.Common.Readings;

/// <summary>Bytes that are not a reading in a format this build understands.</summary>
public sealed class ReadingFormatException(string message) : FormatException(message);
