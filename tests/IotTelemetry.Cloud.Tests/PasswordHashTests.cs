using IotTelemetry.Cloud.Dashboard;

namespace IotTelemetry.Cloud.Tests;

public sealed class PasswordHashTests
{
    [Fact]
    public void A_created_hash_verifies_the_password_and_nothing_else()
    {
        var hash = PasswordHash.Create("night shift 2", 5000);
        Assert.StartsWith("pbkdf2-sha256$5000$", hash);
        Assert.DoesNotContain("night shift 2", hash);
        Assert.True(PasswordHash.Verify("night shift 2", hash));
        Assert.False(PasswordHash.Verify("night shift 3", hash));
        Assert.False(PasswordHash.Verify("", hash));
        Assert.NotEqual(hash, PasswordHash.Create("night shift 2", 5000)); // salted
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain-password")]
    [InlineData("pbkdf2-sha256$10$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==")]
    [InlineData("pbkdf2-sha256$210000$not base64$aGFzaGhhc2hoYXNoaGFzaA==")]
    [InlineData("md5$210000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==")]
    public void Malformed_or_weak_hashes_are_refused(string stored)
    {
        Assert.False(PasswordHash.IsWellFormed(stored));
        Assert.False(PasswordHash.Verify("plain-password", stored));
    }

    /// <summary>The demo user `make run` configures (README): engineer / engineer.</summary>
    [Fact]
    public void The_demo_users_hash_verifies()
    {
        Assert.True(PasswordHash.Verify("engineer", DemoHash));
    }

    internal const string DemoHash = "pbkdf2-sha256$210000$GT9QfSHLI/OzSSFzu5UB8Q==$eqtI+gNx9ksMA9co8FFfUJca8EAPRNXLhSWkWYNmyPo=";
}
