using IotTelemetry.Common.Configuration;

namespace IotTelemetry.Edge.OpcUa;

/// <summary>Section <c>OpcUa</c>: the OPC UA servers (PLCs, SCADA) the agent subscribes to, each independent of the others.</summary>
public sealed class OpcUaIngestOptions
{
    public List<OpcUaServerOptions> Servers { get; set; } = [];

    public void Validate(ConfigErrors errors)
    {
        for (var i = 0; i < Servers.Count; i++) Servers[i].Validate($"OpcUa:Servers:{i}", errors);
    }
}
