using IotTelemetry.Common.Configuration;
using IotTelemetry.OpcUa;

namespace IotTelemetry.Edge.OpcUa;

/// <summary>One OPC UA server the agent subscribes to (configuration <c>OpcUa:Servers:N</c>).</summary>
public sealed class OpcUaServerOptions
{
    /// <summary>Name used in logs and metrics; defaults to the endpoint URL.</summary>
    public string? Name { get; set; }

    public string EndpointUrl { get; set; } = "";

    /// <summary>None, Basic256Sha256, Aes128Sha256RsaOaep or Aes256Sha256RsaPss.</summary>
    public string SecurityPolicy { get; set; } = "None";

    /// <summary>None, Sign or SignAndEncrypt.</summary>
    public string SecurityMode { get; set; } = "None";

    /// <summary>User name; anonymous when not set.</summary>
    public string? UserName { get; set; }

    /// <summary>Secret: give it through the environment (OpcUa__Servers__0__Password) or <see cref="PasswordFile"/>.</summary>
    public string? Password { get; set; }
    public string? PasswordFile { get; set; }

    /// <summary>PKCS#12 file with a user certificate and key: log in with an X.509 user identity token instead of a user name.</summary>
    public string? UserCertificatePath { get; set; }

    /// <summary>The agent's application instance certificate (PKCS#12), created self-signed when missing.</summary>
    public string ClientCertificatePath { get; set; } = "pki/own/client.pfx";

    /// <summary>
    /// Trust list in the OPC Foundation layout: trusted CAs and server certificates in <c>trusted/certs</c>, their CRLs in
    /// <c>trusted/crl</c>, chain-only CAs in <c>issuers/certs</c> and <c>issuers/crl</c>; refused certificates go to <c>rejected/certs</c>.
    /// </summary>
    public string TrustListDirectory { get; set; } = "pki";

    /// <summary>Trust a server certificate that does not chain to the trust list on first contact (logged as a warning). For commissioning only.</summary>
    public bool AutoAcceptServerCertificate { get; set; }

    /// <summary>Opt-outs of the server certificate checks of OPC UA Part 4, 6.1.3; each is on by default.</summary>
    public bool CheckServerCertificateValidity { get; set; } = true;
    public bool CheckServerCertificateRevocation { get; set; } = true;
    public bool CheckServerCertificateKeyUsage { get; set; } = true;
    public bool CheckServerApplicationUri { get; set; } = true;
    public bool CheckServerHostName { get; set; } = true;

    public TimeSpan? PublishingInterval { get; set; }

    public List<OpcUaNodeOptions> Nodes { get; set; } = [];

    public string DisplayName => string.IsNullOrEmpty(Name) ? EndpointUrl : Name;

    public void Validate(string key, ConfigErrors errors)
    {
        errors.Require(Uri.TryCreate(EndpointUrl, UriKind.Absolute, out var uri) && uri.Scheme == "opc.tcp", key + ":EndpointUrl",
            "an opc.tcp://host:port/path URL", EndpointUrl);
        errors.Require(Enum.TryParse<OpcUaSecurityPolicy>(SecurityPolicy, true, out _), key + ":SecurityPolicy",
            "None, Basic256Sha256, Aes128Sha256RsaOaep or Aes256Sha256RsaPss", SecurityPolicy);
        errors.Require(Enum.TryParse<OpcUaSecurityMode>(SecurityMode, true, out _), key + ":SecurityMode", "None, Sign or SignAndEncrypt", SecurityMode);
        if (UserCertificatePath is not null)
            errors.Require(File.Exists(UserCertificatePath) && UserName is null, key + ":UserCertificatePath",
                "a readable PKCS#12 file with the user certificate and key, and no UserName", UserCertificatePath);
        if (PasswordFile is not null) errors.Require(File.Exists(PasswordFile), key + ":PasswordFile", "a readable file holding the password", PasswordFile);
        errors.Require(Nodes.Count > 0, key + ":Nodes", "at least one node to watch", "none");
        for (var i = 0; i < Nodes.Count; i++)
        {
            var n = Nodes[i];
            var nk = $"{key}:Nodes:{i}";
            errors.Require(OpcUaWatchedNode.IsWellFormed(n.Node, out var why), nk + ":Node",
                "a NodeId such as ns=1;s=Pump1.Temperature or nsu=urn:plant:pumps;s=Pump1.Temperature, or a browse path such as /Objects/Pump1/Temperature"
                + (why.Length > 0 ? $" ({why})" : ""), n.Node);
            errors.RequireNotEmpty(n.Asset, nk + ":Asset", "the asset the node belongs to");
            errors.RequireNotEmpty(n.Sensor, nk + ":Sensor", "the sensor name of the node");
            errors.RequirePositive(n.SamplingInterval, nk + ":SamplingInterval");
            errors.Require(Enum.TryParse<OpcUaDeadbandType>(n.DeadbandType, true, out _), nk + ":DeadbandType", "None, Absolute or Percent", n.DeadbandType);
        }
    }

    public OpcUaClientOptions ToClientOptions(string defaultSite, string key, ConfigErrors errors) => new()
    {
        EndpointUrl = EndpointUrl,
        SecurityPolicy = Enum.Parse<OpcUaSecurityPolicy>(SecurityPolicy, true),
        SecurityMode = Enum.Parse<OpcUaSecurityMode>(SecurityMode, true),
        UserName = UserName,
        Password = Secrets.Resolve(Password, PasswordFile, key + ":PasswordFile", errors),
        ClientCertificatePath = ClientCertificatePath,
        UserCertificatePath = UserCertificatePath,
        TrustListDirectory = TrustListDirectory,
        AutoAcceptServerCertificate = AutoAcceptServerCertificate,
        CheckServerCertificateValidity = CheckServerCertificateValidity,
        CheckServerCertificateRevocation = CheckServerCertificateRevocation,
        CheckServerCertificateKeyUsage = CheckServerCertificateKeyUsage,
        CheckServerApplicationUri = CheckServerApplicationUri,
        CheckServerHostName = CheckServerHostName,
        PublishingInterval = PublishingInterval,
        Nodes = Nodes.Select(n => new OpcUaWatchedNode(n.Node, n.Site ?? defaultSite, n.Asset, n.Sensor)
        {
            SamplingInterval = n.SamplingInterval,
            QueueSize = n.QueueSize,
            DeadbandType = Enum.Parse<OpcUaDeadbandType>(n.DeadbandType, true),
            DeadbandValue = n.DeadbandValue,
        }).ToList(),
    };
}
