using IotTelemetry.Common.Configuration;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Mapping;
using IotTelemetry.Edge.Sparkplug;
using IotTelemetry.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Edge.Ingest;

/// <summary>
/// MQTT -> readings -> edge Kafka. Each message is mapped and validated; its readings (or, when it is bad,
/// the original bytes with the reason) are written to the edge cluster, and only when the cluster has
/// acknowledged them is the message acknowledged to the broker. A crash in between loses nothing: the
/// broker redelivers what was not acknowledged.
/// </summary>
public sealed class MqttIngestService : BackgroundService
{
    private readonly EdgeSettings _settings;
    private readonly EdgeWriter _writer;
    private readonly EdgeMetrics _metrics;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly PayloadMapper _mapper;
    private readonly SparkplugMapper? _sparkplug;

    public MqttIngestService(EdgeSettings settings, EdgeWriter writer, EdgeMetrics metrics, ILoggerFactory loggers, IHostApplicationLifetime lifetime)
    {
        _settings = settings;
        _writer = writer;
        _metrics = metrics;
        _loggers = loggers;
        _log = loggers.CreateLogger("IotTelemetry.Edge.Ingest");
        _lifetime = lifetime;
        _mapper = new PayloadMapper(settings.Rules, settings.Validation, settings.Agent.Site);
        _sparkplug = settings.Sparkplug.Enabled ? new SparkplugMapper(settings.Sparkplug, settings.Validation, settings.Agent.Site) : null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var errors = new ConfigErrors();
        var options = _settings.Mqtt.ToClientOptions(_settings.Agent.Site, errors);
        errors.ThrowIfAny();
        var writer = _writer;
        await using var client = new MqttClient(options, _loggers.CreateLogger("IotTelemetry.Mqtt"));
        client.Connected += (_, e) => { if (e.IsReconnect) _metrics.MqttReconnects.Increment(); };
        _metrics.Registry.Gauge("iott_edge_mqtt_connected", "1 while the MQTT connection is up", () => client.IsConnected ? 1 : 0);

        if (!await ConnectAsync(client, options, stoppingToken)) return;
        var filters = _settings.Mqtt.Subscriptions.Count > 0 ? _settings.Mqtt.Subscriptions : _mapper.SubscriptionFilters.ToList();
        if (_sparkplug is not null && !filters.Contains(_settings.Sparkplug.TopicFilter)) filters = [.. filters, _settings.Sparkplug.TopicFilter];
        var qos = (MqttQualityOfService)_settings.Mqtt.Qos;
        foreach (var filter in filters) await client.SubscribeAsync(filter, qos, stoppingToken);
        LogMessages.MqttSubscribed(_log, $"{options.Host}:{options.Port}", string.Join(", ", filters));

        try
        {
            await foreach (var message in client.Messages.ReadAllAsync(stoppingToken))
            {
                _metrics.MessagesReceived.Increment();
                Handle(message, writer, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Acknowledge what is already written before the connection closes.
        writer.Flush(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Connects, retrying with backoff while the broker is unreachable (a plant's broker may start after the agent).
    /// A refusal that waiting cannot fix (credentials, certificate) stops the agent with a message, not a stack trace.
    /// </summary>
    private async Task<bool> ConnectAsync(MqttClient client, MqttClientOptions options, CancellationToken ct)
    {
        var pause = options.ReconnectMinDelay;
        while (true)
        {
            try
            {
                await client.ConnectAsync(ct);
                return true;
            }
            catch (MqttConnectException ex) when (ex.IsTransient)
            {
                _log.LogWarning("MQTT broker {Host}:{Port} not reachable yet: {Reason}; retrying in {Seconds:0.#} s", options.Host, options.Port, ex.Message, pause.TotalSeconds);
                await Task.Delay(pause, ct);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, options.ReconnectMaxDelay.Ticks));
            }
            catch (MqttConnectException ex)
            {
                _log.LogCritical("Stopping the edge agent: {Reason}", ex.Message);
                Environment.ExitCode = 3;
                _lifetime.StopApplication();
                return false;
            }
        }
    }

    private void Handle(MqttReceivedMessage message, EdgeWriter writer, CancellationToken ct)
    {
        var received = UnixMicros.Now();
        var source = "mqtt:" + message.Topic;
        var result = _sparkplug is not null && SparkplugMapper.IsSparkplugTopic(message.Topic)
            ? _sparkplug.Map(message.Topic, message.Payload.Span, received)
            : _mapper.Map(message.Topic, message.Payload.Span, received);
        if (result.Rejection is { } rejection)
            writer.WriteDeadLetter(message.Topic, message.Payload.Span, source, rejection, received, () => message.Acknowledge(), ct);
        else
            writer.Write(result.Readings, source, () => message.Acknowledge(), ct);
    }
}
