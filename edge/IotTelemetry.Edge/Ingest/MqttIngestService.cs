using IotTelemetry.Common.Configuration;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.DeadLetters;
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
        if (_sparkplug is not null) filters = [.. filters, _settings.Sparkplug.TopicFilter];
        filters = TopicFilters.Minimal(filters); // overlapping subscriptions would deliver a message once per match
        var qos = (MqttQualityOfService)_settings.Mqtt.Qos;
        foreach (var filter in filters) await client.SubscribeAsync(filter, qos, stoppingToken);
        LogMessages.MqttSubscribed(_log, $"{options.Host}:{options.Port}", string.Join(", ", filters));

        try
        {
            await foreach (var message in client.Messages.ReadAllAsync(stoppingToken))
            {
                _metrics.MessagesReceived.Increment();
                if (message.Retain && _settings.Mqtt.Retained == "Ignore")
                {
                    _metrics.RetainedIgnored.Increment();
                    message.Acknowledge();
                    continue;
                }
                Handle(message.Topic, message.Payload, message.Retain && _settings.Mqtt.Retained == "WithTimestamp", () => message.Acknowledge(), writer, stoppingToken);
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

    /// <summary>
    /// Maps one message and writes its readings or its dead letter. Its own error boundary: whatever the payload holds,
    /// a failure here dead-letters this message (<c>processing_error</c>) and the next one is handled.
    /// </summary>
    private void Handle(string topic, ReadOnlyMemory<byte> payload, bool requireDeviceTimestamp, Action acknowledge, EdgeWriter writer, CancellationToken ct)
    {
        var received = UnixMicros.Now();
        var source = "mqtt:" + topic;
        MappingResult result;
        try
        {
            result = _sparkplug is not null && SparkplugMapper.IsSparkplugTopic(topic)
                ? _sparkplug.Map(topic, payload.Span, received, requireDeviceTimestamp)
                : _mapper.Map(topic, payload, received, requireDeviceTimestamp);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMessages.ProcessingFailed(_log, source, ex.ToString());
            result = MappingResult.Reject(RejectReason.ProcessingError, $"the agent could not map this message: {ex.GetType().Name}: {ex.Message}");
        }
        var rejection = result.Rejection ?? writer.Write(result.Readings, source, acknowledge, ct);
        if (rejection is not null) writer.WriteDeadLetter(topic, payload.Span, source, rejection, received, acknowledge, ct);
    }
}
