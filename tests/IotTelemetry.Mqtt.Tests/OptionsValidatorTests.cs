using Xunit;

namespace IotTelemetry.Mqtt.Tests;

public sealed class OptionsValidatorTests
{
    [Fact]
    public void Default_options_are_valid()
    {
        Assert.Empty(MqttClientOptionsValidator.Validate(new MqttClientOptions()));
    }

    [Fact]
    public void Port_zero_is_reported_with_option_name_and_expected_range()
    {
        var errors = MqttClientOptionsValidator.Validate(new MqttClientOptions { Port = 0 });
        Assert.Equal(["Mqtt:Port must be between 1 and 65535, got 0"], errors);
    }

    [Fact]
    public void Every_problem_is_listed_at_once()
    {
        var errors = MqttClientOptionsValidator.Validate(new MqttClientOptions
        {
            Host = "",
            KeepAlive = TimeSpan.FromSeconds(70_000),
            MaxInFlightPublishes = 0,
            ReconnectMinDelay = TimeSpan.FromSeconds(10),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        });
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Mqtt:Host", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Mqtt:KeepAlive must be between 0 and 65535 seconds", StringComparison.Ordinal));
        Assert.Contains("Mqtt:MaxInFlightPublishes must be between 1 and 65000, got 0", errors);
        Assert.Contains(errors, e => e.StartsWith("Mqtt:ReconnectMaxDelay must be at least ReconnectMinDelay", StringComparison.Ordinal));
    }

    [Fact]
    public void Persistent_mqtt5_session_needs_a_client_id_and_a_session_expiry()
    {
        var errors = MqttClientOptionsValidator.Validate(new MqttClientOptions { CleanSession = false, ProtocolVersion = MqttProtocolVersion.V500 });
        Assert.Contains(errors, e => e.StartsWith("Mqtt:ClientId must be set when CleanSession is false", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Mqtt:SessionExpiry must be greater than zero", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_ca_file_is_named_but_a_missing_key_path_is_not_echoed()
    {
        var errors = MqttClientOptionsValidator.Validate(new MqttClientOptions
        {
            Tls = new MqttTlsOptions { CaFile = "/nonexistent/ca.crt", ClientCertificateFile = "/nonexistent/c.crt", ClientKeyFile = "/secret/k.key" },
        });
        Assert.Contains("Mqtt:Tls:CaFile must be an existing PEM file, got '/nonexistent/ca.crt' (not found)", errors);
        Assert.DoesNotContain(errors, e => e.Contains("/secret/k.key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectAsync_refuses_invalid_options_before_touching_the_network()
    {
        await using var client = new MqttClient(new MqttClientOptions { Port = 70000, Password = "hunter2", ProtocolVersion = MqttProtocolVersion.V311 });
        var ex = await Assert.ThrowsAsync<MqttException>(() => client.ConnectAsync(CancellationToken.None));
        Assert.Contains("Mqtt:Port must be between 1 and 65535, got 70000", ex.Message);
        Assert.Contains("Mqtt:Username must be set when Password is set", ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message);
        Assert.False(ex.IsTransient);
    }
}
