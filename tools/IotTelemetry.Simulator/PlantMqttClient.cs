using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace IotTelemetry.Simulator;

/// <summary>
/// The simulated plant's MQTT connection (MQTTnet): publishes concurrently, at most as many QoS 1/2 publishes
/// awaiting their acknowledgement as the broker's Receive Maximum allows (an MQTT 5 broker disconnects a client
/// that sends more), and throws when the broker refuses a publish.
/// </summary>
public sealed class PlantMqttClient : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly SemaphoreSlim _window;

    private PlantMqttClient(IMqttClient client, int window)
    {
        _client = client;
        _window = new SemaphoreSlim(window, window);
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects with a clean session; throws when the broker cannot be reached or refuses.</summary>
    public static async Task<PlantMqttClient> ConnectAsync(string host, int port, string clientId, CancellationToken ct,
        MqttProtocolVersion version = MqttProtocolVersion.V500, int maxInFlight = 1000)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            var options = new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId(clientId).WithProtocolVersion(version)
                .WithCleanSession().WithTimeout(TimeSpan.FromSeconds(30))
                .WithoutPacketFragmentation() // one socket write per PUBLISH instead of two (header, then payload): small readings
                .Build();
            var result = await client.ConnectAsync(options, ct);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
                throw new InvalidOperationException($"MQTT broker {host}:{port} refused the connection: {result.ResultCode}");
            var window = Math.Min(maxInFlight, result.ReceiveMaximum is > 0 and { } rm ? rm : ushort.MaxValue);
            return new PlantMqttClient(client, window);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Completes when the broker acknowledged the message (QoS 1/2) or it was written (QoS 0).</summary>
    public async Task PublishAsync(string topic, byte[] payload, MqttQualityOfServiceLevel qos, CancellationToken ct, bool retain = false)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(qos).WithRetainFlag(retain).Build();
        await _window.WaitAsync(ct);
        try
        {
            var result = await _client.PublishAsync(message, ct);
            if (!result.IsSuccess) throw new InvalidOperationException($"MQTT broker refused the publish to {topic}: {result.ReasonCode}");
        }
        finally
        {
            _window.Release();
        }
    }

    /// <summary>Sends DISCONNECT once the publishes in flight are acknowledged.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token); }
            catch (Exception) { } // the broker is gone: nothing is left to close cleanly
        }
        _client.Dispose();
        _window.Dispose();
    }
}
