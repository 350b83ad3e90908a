using IotTelemetry.Common.Configuration;

namespace IotTelemetry.Cloud.Influx;

/// <summary>Section <c>Influx</c>: the InfluxDB sink for recent data, and where the dashboard's charts read from.</summary>
public sealed class InfluxOptions
{
    public bool Enabled { get; set; }

    /// <summary>Base address of the InfluxDB HTTP API, e.g. http://127.0.0.1:8086.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8086";

    /// <summary>1: <c>/write?db=...</c> (InfluxDB 1.x); 2: <c>/api/v2/write?org=...&amp;bucket=...</c> (InfluxDB 2.x).</summary>
    public int ApiVersion { get; set; } = 1;

    /// <summary>API 1: the database (created at start when <see cref="CreateDatabase"/>).</summary>
    public string Database { get; set; } = "iott";

    /// <summary>API 1: optional retention policy.</summary>
    public string? RetentionPolicy { get; set; }

    /// <summary>API 1: issue <c>CREATE DATABASE</c> at start (idempotent in InfluxDB).</summary>
    public bool CreateDatabase { get; set; } = true;

    /// <summary>API 1: optional user for basic authentication.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }
    public string? PasswordFile { get; set; }

    /// <summary>API 2: organisation and bucket.</summary>
    public string? Org { get; set; }

    public string? Bucket { get; set; }

    /// <summary>API 2: the API token (secret), inline or from <see cref="TokenFile"/>.</summary>
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

    /// <summary>Resolved secrets: filled by <see cref="Validate"/>, never logged.</summary>
    internal string? ResolvedPassword { get; private set; }

    internal string? ResolvedToken { get; private set; }

    public void Validate(ConfigErrors errors)
    {
        if (!Enabled) return;
        errors.Require(Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https", "Influx:Url", "an http(s) URL such as http://127.0.0.1:8086", Url);
        errors.Require(ApiVersion is 1 or 2, "Influx:ApiVersion", "1 (InfluxDB 1.x /write) or 2 (InfluxDB 2.x /api/v2/write)", ApiVersion);
        errors.RequireNotEmpty(Measurement, "Influx:Measurement");
        errors.RequireNotEmpty(GroupId, "Influx:GroupId");
        errors.RequireRange(BatchSize, 1, 1_000_000, "Influx:BatchSize");
        errors.RequirePositive(FlushInterval, "Influx:FlushInterval");
        errors.RequirePositive(RequestTimeout, "Influx:RequestTimeout");
        errors.RequirePositive(MaxBackoff, "Influx:MaxBackoff");
        errors.RequirePositive(RetryWindow, "Influx:RetryWindow");
        ResolvedPassword = Secrets.Resolve(Password, PasswordFile, "Influx:PasswordFile", errors);
        ResolvedToken = Secrets.Resolve(Token, TokenFile, "Influx:TokenFile", errors);
        if (ApiVersion == 1)
        {
            errors.RequireNotEmpty(Database, "Influx:Database", "a database name (API 1)");
            if (!string.IsNullOrEmpty(Username) && ResolvedPassword is null)
                errors.AddSecret("Influx:Password", "a password (or Influx:PasswordFile) when Influx:Username is set");
        }
        else
        {
            errors.RequireNotEmpty(Org, "Influx:Org", "an organisation (API 2)");
            errors.RequireNotEmpty(Bucket, "Influx:Bucket", "a bucket (API 2)");
            if (ResolvedToken is null) errors.AddSecret("Influx:Token", "an API token (or Influx:TokenFile) for API 2");
        }
    }
}
