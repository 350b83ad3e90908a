using System.Text;
using IotTelemetry.TestKit;

namespace IotTelemetry.Mqtt.Tests;

/// <summary>Options and helpers shared by the tests that run against mosquitto.</summary>
internal static class TestClients
{
    public static MqttClientOptions Options(MosquittoBroker broker, MqttProtocolVersion version, string? clientId = null) => new()
    {
        Host = broker.Host,
        Port = broker.Port,
        ProtocolVersion = version,
        ClientId = clientId ?? "t-" + Guid.NewGuid().ToString("N")[..10],
        ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>A persistent session: clean session off, and for MQTT 5 a session expiry of an hour.</summary>
    public static MqttClientOptions Persistent(MosquittoBroker broker, MqttProtocolVersion version, string clientId)
    {
        var options = Options(broker, version, clientId);
        options.CleanSession = false;
        options.SessionExpiry = TimeSpan.FromHours(1);
        return options;
    }

    public static async Task<MqttClient> ConnectAsync(MqttClientOptions options)
    {
        var client = new MqttClient(options);
        try
        {
            await Wait.ForAsync(client.ConnectAsync(CancellationToken.None), "MQTT connect");
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public static Task<MqttReceivedMessage> NextAsync(MqttClient client, string what = "an MQTT message", TimeSpan? timeout = null) =>
        Wait.ForAsync(client.Messages.ReadAsync().AsTask(), what, timeout);

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(MqttReceivedMessage message) => Encoding.UTF8.GetString(message.Payload.Span);
}
