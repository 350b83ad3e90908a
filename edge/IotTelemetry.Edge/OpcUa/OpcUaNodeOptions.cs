namespace IotTelemetry.Edge.OpcUa;

/// <summary>One watched node (configuration <c>OpcUa:Servers:N:Nodes:M</c>) and the sensor it feeds.</summary>
public sealed class OpcUaNodeOptions
{
    /// <summary>A NodeId (<c>ns=1;s=Pump1.Temperature</c>, <c>ns=1;i=1001</c>, <c>ns=1;g=...</c>, <c>ns=1;b=...</c>; <c>nsu=urn:...;s=...</c> names the namespace by URI, resolved at every connect) or a browse path from Objects (<c>/Objects/Pump1/Temperature</c>).</summary>
    public string Node { get; set; } = "";

    /// <summary>Site of the readings; defaults to Edge:Site.</summary>
    public string? Site { get; set; }

    public string Asset { get; set; } = "";
    public string Sensor { get; set; } = "";

    /// <summary>Unit when the node has no EngineeringUnits property.</summary>
    public string? Unit { get; set; }

    public TimeSpan SamplingInterval { get; set; } = TimeSpan.FromSeconds(1);
    public uint QueueSize { get; set; } = 10;

    /// <summary>None, Absolute or Percent.</summary>
    public string DeadbandType { get; set; } = "None";

    public double DeadbandValue { get; set; }
}
