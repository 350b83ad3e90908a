namespace IotTelemetry.Common.Readings;

/// <summary>How far a reading can be trusted, as its source reported it.</summary>
public enum Quality : byte
{
    Good = 0,
    Uncertain = 1,
    Bad = 2,
}
