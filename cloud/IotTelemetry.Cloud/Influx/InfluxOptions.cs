using IotTelemetry.Common.Configuration;

namespace IotTelemetry.Cloud.Influx;

/// <summary>
/// Section <c>Influx</c>: the sink of recent readings to a server of the InfluxDB v2 write API (<c>/api/v2/write</c>):
/// InfluxDB 2.x and 3.x, InfluxDB 1.8+ (compatibility endpoint; token <c>user:password</c>), VictoriaMetrics.
/// </summary>
public sealed class InfluxOptions
{
    public bool Enabled { get; set; }

    /// <summary>Base address of the server, e.g. http://127.0.0.1:8428 (https for TLS).</summary>
    public string Url { get; set; } = "http://127.0.0.1:8086";

    /// <summary>Optional PEM file of the CA that signed the server's certificate (https), instead of the system's trust store.</summary>
    public string? CaFile { get; set; }

    /// <summary>Organisation and bucket the points are written to.</summary>
    public string? Org { get; set; }

    public string? Bucket { get; set; }

    /// <summary>The API token (secret), inline or from <see cref="TokenFile"/>; sent as <c>Authorization: Token ...</c>.</summary>
    public string? Token { get; set; }

    public string? TokenFile { get; set; }

    public string Measurement { get; set; } = "readings";

    public string GroupId { get; set; } = "iott-influx";

    /// <summary>A batch is written at this many points...</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>...or when its oldest point has waited this long.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retry pauses double up to this.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one batch is retried before the consumer is rebuilt from the committed offsets (keeps the
    /// consumer inside Kafka's poll interval during a long outage; nothing is lost either way).
    /// </summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Resolved secret: filled by <see cref="Validate"/>, never logged.</summary>
    internal string? ResolvedToken { get; private set; }

    public void Validate(ConfigErrors errors)
    {
        if (!Enabled) return;
        errors.Require(Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https", "Influx:Url", "an http(s) URL such as http://127.0.0.1:8086", Url);
        if (!string.IsNullOrEmpty(CaFile))
            errors.Require(File.Exists(CaFile), "Influx:CaFile", "an existing PEM file of the server's CA", CaFile);
        errors.RequireNotEmpty(Org, "Influx:Org", "an organisation");
        errors.RequireNotEmpty(Bucket, "Influx:Bucket", "a bucket");
        errors.RequireNotEmpty(Measurement, "Influx:Measurement");
        errors.RequireNotEmpty(GroupId, "Influx:GroupId");
        errors.RequireRange(BatchSize, 1, 1_000_000, "Influx:BatchSize");
        errors.RequirePositive(FlushInterval, "Influx:FlushInterval");
        errors.RequirePositive(RequestTimeout, "Influx:RequestTimeout");
        errors.RequirePositive(MaxBackoff, "Influx:MaxBackoff");
        errors.RequirePositive(RetryWindow, "Influx:RetryWindow");
        ResolvedToken = Secrets.Resolve(Token, TokenFile, "Influx:TokenFile", errors);
        if (ResolvedToken is null) errors.AddSecret("Influx:Token", "an API token (or Influx:TokenFile)");
    }
}
