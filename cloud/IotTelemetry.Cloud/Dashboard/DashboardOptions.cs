using IotTelemetry.Common.Configuration;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>Section <c>Dashboard</c>: the plant engineers' web page on <c>Cloud:Urls</c>.</summary>
public sealed class DashboardOptions
{
    public bool Enabled { get; set; }

    /// <summary>Who may log in; passwords only as hashes.</summary>
    public List<DashboardUser> Users { get; set; } = [];

    /// <summary>How many cleared alerts the history keeps.</summary>
    public int HistoryLimit { get; set; } = 200;

    /// <summary>How long a login lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Recent values kept in memory per sensor for the charts.</summary>
    public int RecentValuesPerSensor { get; set; } = 600;

    /// <summary>A chart of a long range (read from the rollups) has at most about this many points per sensor: intervals are merged to fit.</summary>
    public int MaxChartPoints { get; set; } = 720;

    /// <summary>Other hosts' /metrics to show on the health view, e.g. the edge agent's (for dead letters): name=url;name=url.</summary>
    public string? EdgeMetricsUrls { get; set; }

    public void Validate(ConfigErrors errors)
    {
        if (!Enabled) return;
        ValidateUsers(errors);
        errors.RequireRange(HistoryLimit, 1, 100_000, "Dashboard:HistoryLimit");
        errors.RequireRange(RecentValuesPerSensor, 10, 100_000, "Dashboard:RecentValuesPerSensor");
        errors.RequireRange(MaxChartPoints, 10, 100_000, "Dashboard:MaxChartPoints");
        errors.RequirePositive(SessionLifetime, "Dashboard:SessionLifetime");
    }

    /// <summary>The users' names and hashes (also checked when only the Flight endpoint logs them in).</summary>
    public void ValidateUsers(ConfigErrors errors)
    {
        for (var i = 0; i < Users.Count; i++)
        {
            var key = $"Dashboard:Users:{i}";
            errors.Require(!string.IsNullOrWhiteSpace(Users[i].Name) && !Users[i].Name.Contains(':'), key + ":Name", "a user name without ':'", Users[i].Name);
            if (!PasswordHash.IsWellFormed(Users[i].PasswordHash))
                errors.AddSecret(key + ":PasswordHash", "a hash like pbkdf2-sha256$210000$SALT$HASH (see README: passwords are never configured in clear)");
        }
    }
}
