namespace IotTelemetry.OpcUa;

/// <summary>Deadband of a DataChangeFilter (Part 4, 7.22.2): absolute units, or percent of the item's EURange.</summary>
public enum OpcUaDeadbandType
{
    None = 0,
    Absolute = 1,
    Percent = 2,
}
