using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IotTelemetry.Common.Readings;
using IotTelemetry.Lake.Rollups;
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

    /// <summary>The 1-minute tier beside the readings (<c>DataDir/rollup-1m</c>, a sibling of <c>DataDir/lake</c>), unquoted for <see cref="RollupSql"/>.</summary>
    public string RollupFiles => Path.Combine(DataDir, "rollup-1m", "**", "*.parquet");

    /// <summary>The files each sensor-minute's readings are spread over: every interval has that many partials (but the first).</summary>
    public const int PartialFiles = 3;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        WriteRollups();
    }

    /// <summary>
    /// Real rollup files (<see cref="RollupParquet"/>) as the rollup writer leaves them before compaction: two sites, two
    /// sensors, 60 minutes from <see cref="MirroredLake.Start"/>, five readings per sensor-minute spread over
    /// <see cref="PartialFiles"/> files (so a reader must merge), the first minute of each sensor a single reading (no stddev).
    /// </summary>
    private void WriteRollups()
    {
        var tier = RollupTier.Minute;
        var start = UnixMicros.FromDateTimeOffset(Start);
        foreach (var site in new[] { "plant-a", "plant-b" })
        {
            var files = Enumerable.Range(0, PartialFiles).Select(_ => new List<RollupRow>()).ToList();
            for (var minute = 0; minute < 60; minute++)
                foreach (var sensor in new[] { "s0", "s1" })
                {
                    var bucket = start + minute * tier.BucketMicros;
                    var partials = new RollupAggregate[PartialFiles];
                    for (var k = 0; k < (minute == 0 ? 1 : 5); k++)
                    {
                        var value = 1013.25 + minute * 0.5 + k * 0.01 + (sensor == "s1" ? 3 : 0) + (site == "plant-b" ? 100 : 0);
                        partials[k % PartialFiles].Add(value, good: k % 3 != 0, bucket + k * 7_000_000, partition: k % 2, offset: 1_000 + minute * 10 + k);
                    }
                    for (var f = 0; f < PartialFiles; f++)
                        if (partials[f].Count > 0) files[f].Add(new RollupRow(bucket, "pump-00", sensor, "hPa", partials[f]));
                }
            for (var f = 0; f < PartialFiles; f++)
            {
                var path = Path.Combine(DataDir, tier.Dataset, tier.PartitionOf(site, start), $"rollup-{f:D3}.parquet");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                RollupParquet.Write(path, files[f], ParquetSharp.Compression.Snappy, new Dictionary<string, string>());
            }
        }
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
