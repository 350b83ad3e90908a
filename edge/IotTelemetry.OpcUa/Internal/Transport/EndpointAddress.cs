namespace IotTelemetry.OpcUa.Internal.Transport;

/// <summary>Host and port of an <c>opc.tcp://host:port/path</c> URL (port 4840 when left out).</summary>
internal sealed record EndpointAddress(string Url, string Host, int Port)
{
    public static EndpointAddress Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "opc.tcp")
            throw new FormatException($"Expected an endpoint URL like opc.tcp://host:4840/path but got '{url}'");
        return new EndpointAddress(url, uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 4840 : uri.Port);
    }
}
