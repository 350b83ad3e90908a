namespace IotTelemetry.Cloud.Dashboard;

/// <summary>One entry of <c>Dashboard:Users</c>: a login name and its <see cref="PasswordHash"/> (never the password).</summary>
public sealed class DashboardUser
{
    public string Name { get; set; } = "";

    /// <summary><c>pbkdf2-sha256$ITERATIONS$SALT_BASE64$HASH_BASE64</c>, as <see cref="PasswordHash.Create"/> makes it.</summary>
    public string PasswordHash { get; set; } = "";
}
