namespace IotTelemetry.OpcUa;

/// <summary>Everything one OPC UA client needs. Check with <see cref="Validate"/> (the client does so before connecting).</summary>
public sealed class OpcUaClientOptions
{
    public required string EndpointUrl { get; init; }
    public OpcUaSecurityPolicy SecurityPolicy { get; init; } = OpcUaSecurityPolicy.None;
    public OpcUaSecurityMode SecurityMode { get; init; } = OpcUaSecurityMode.None;

    /// <summary>Null for anonymous login.</summary>
    public string? UserName { get; init; }
    public string? Password { get; init; }

    /// <summary>PKCS#12 file with a user certificate and its key, for an X.509 user identity token (Part 4, 7.36.5) instead of a user name.</summary>
    public string? UserCertificatePath { get; init; }

    public string ApplicationName { get; init; } = "IotTelemetry Edge Agent";

    /// <summary>Must match the URI in the client certificate; a new certificate gets this one.</summary>
    public string ApplicationUri { get; init; } = "urn:" + Environment.MachineName + ":IotTelemetry:EdgeAgent";

    /// <summary>PKCS#12 file with the client certificate and key; created (self-signed) when missing. Needed for security other than None.</summary>
    public string ClientCertificatePath { get; init; } = Path.Combine("pki", "own", "client.pfx");

    /// <summary>
    /// Trust list in the OPC Foundation stack's layout: <c>trusted/certs</c> (trusted CAs and server certificates),
    /// <c>trusted/crl</c>, <c>issuers/certs</c> (CAs to build chains with, not trusted by themselves), <c>issuers/crl</c>,
    /// and <c>rejected/certs</c> (refused server certificates, for an operator to move).
    /// </summary>
    public string TrustListDirectory { get; init; } = "pki";

    /// <summary>Trust a server certificate that does not chain to the trust list on first contact (copied to trusted/certs, logged as a warning).</summary>
    public bool AutoAcceptServerCertificate { get; init; }

    /// <summary>Refuse a server certificate (or CA in its chain) outside its validity period (BadCertificateTimeInvalid).</summary>
    public bool CheckServerCertificateValidity { get; init; } = true;

    /// <summary>Require a CRL from each issuer in trusted/crl or issuers/crl and refuse revoked certificates (BadCertificateRevoked, BadCertificateRevocationUnknown).</summary>
    public bool CheckServerCertificateRevocation { get; init; } = true;

    /// <summary>Require key usage digitalSignature and keyEncipherment on the server certificate and CA rights on its issuers (BadCertificateUseNotAllowed).</summary>
    public bool CheckServerCertificateKeyUsage { get; init; } = true;

    /// <summary>Require the certificate's SAN URI to equal the endpoint description's server ApplicationUri (BadCertificateUriInvalid).</summary>
    public bool CheckServerApplicationUri { get; init; } = true;

    /// <summary>Require the endpoint URL's host among the certificate's SAN DNS names or IP addresses (BadCertificateHostNameInvalid).</summary>
    public bool CheckServerHostName { get; init; } = true;

    public IReadOnlyList<OpcUaWatchedNode> Nodes { get; init; } = [];

    /// <summary>How often the server sends notifications; by default the smallest sampling interval of the nodes.</summary>
    public TimeSpan? PublishingInterval { get; init; }

    /// <summary>How long the server may stay silent before it sends a keep-alive; a missing keep-alive means a lost connection.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan SecureChannelLifetime { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Capacity of <see cref="OpcUaClient.DataChanges"/>; when full, the publish loop waits (the server queues).</summary>
    public int ChannelCapacity { get; init; } = 10_000;

    /// <summary>Read each node's EngineeringUnits property once per connection and put it on every data change.</summary>
    public bool ReadEngineeringUnits { get; init; } = true;

    /// <summary>Publish requests kept outstanding at the server.</summary>
    public int OutstandingPublishRequests { get; init; } = 3;

    /// <summary>Throws ArgumentException listing every problem.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(EndpointUrl, UriKind.Absolute, out var uri) || uri.Scheme != "opc.tcp")
            problems.Add($"EndpointUrl: expected opc.tcp://host:port/path but got '{EndpointUrl}'");
        if ((SecurityPolicy == OpcUaSecurityPolicy.None) != (SecurityMode == OpcUaSecurityMode.None))
            problems.Add($"SecurityPolicy {SecurityPolicy} and SecurityMode {SecurityMode} do not go together: None needs None on both");
        if (UserName is not null && Password is null) problems.Add("Password: required when UserName is set");
        if (UserCertificatePath is not null && UserName is not null) problems.Add("UserCertificatePath: a user certificate and a UserName do not go together; choose one");
        if (UserCertificatePath is not null && !File.Exists(UserCertificatePath)) problems.Add($"UserCertificatePath: expected a PKCS#12 file but '{UserCertificatePath}' does not exist");
        if (!Uri.TryCreate(ApplicationUri, UriKind.Absolute, out _)) problems.Add($"ApplicationUri: expected an absolute URI but got '{ApplicationUri}'");
        if (Nodes.Count == 0) problems.Add("Nodes: expected at least one node to watch");
        foreach (var node in Nodes)
        {
            if (!node.IsBrowsePath && !Internal.Encoding.NamespacedNodeId.TryParse(node.Node, out _, out var error)) problems.Add($"Nodes: {error}");
            if (node.SamplingInterval < TimeSpan.Zero) problems.Add($"Nodes: {node.Node} has a negative sampling interval");
            if (node.DeadbandType != OpcUaDeadbandType.None && node.DeadbandValue < 0) problems.Add($"Nodes: {node.Node} has a negative deadband");
            if (node.DeadbandType == OpcUaDeadbandType.Percent && node.DeadbandValue > 100) problems.Add($"Nodes: {node.Node} has a percent deadband above 100");
        }
        if (KeepAliveInterval < TimeSpan.FromMilliseconds(100)) problems.Add("KeepAliveInterval: expected at least 100 ms");
        if (ChannelCapacity < 1) problems.Add("ChannelCapacity: expected at least 1");
        if (OutstandingPublishRequests is < 1 or > 10) problems.Add("OutstandingPublishRequests: expected 1..10");
        if (ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay) problems.Add("ReconnectMinDelay/MaxDelay: expected 0 < min <= max");
        if (problems.Count > 0) throw new ArgumentException("Invalid OPC UA client options: " + string.Join("; ", problems));
    }

    public override string ToString() => $"OpcUaClientOptions {{ {EndpointUrl}, {SecurityPolicy}/{SecurityMode}, user {UserName ?? "(anonymous)"}, {Nodes.Count} nodes }}";
}
