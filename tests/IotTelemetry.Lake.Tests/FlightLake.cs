using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>The mirrored lake with the host's Arrow Flight endpoint on (plain HTTP/2 on loopback), one user with a PBKDF2 hash.</summary>
public sealed class FlightLake : MirroredLake
{
    public const string User = "analyst";
    public const string Password = "correct horse battery staple";

    public FlightLake() : base(new Dictionary<string, string>
    {
        ["Flight:Enabled"] = "true",
        ["Flight:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
        ["Flight:MaxRowsPerBatch"] = "40",
        ["Dashboard:Users:0:Name"] = User,
        ["Dashboard:Users:0:PasswordHash"] = HashOf(Password),
    })
    {
    }

    public string Url => Settings["Flight:Url"];

    /// <summary>A summary tier beside the readings (<c>DataDir/rollup-1m</c>, a sibling of <c>DataDir/lake</c>) (written as a rollup writer would), to read through the same endpoint.</summary>
    public string RollupGlob => DuckDb.Literal(Path.Combine(DataDir, "rollup-1m", "**", "*.parquet"));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        RollupFile.Write(Path.Combine(DataDir, "rollup-1m", "site=plant-a", "date=2026-03-01", "hour=07", "rollup-000.parquet"), Start, 60);
    }

    /// <summary>The hash format the dashboard documents, made here independently: <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c>, base64.</summary>
    public static string HashOf(string password)
    {
        const int iterations = 10_000;
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return string.Join('$', "pbkdf2-sha256", iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }
}
