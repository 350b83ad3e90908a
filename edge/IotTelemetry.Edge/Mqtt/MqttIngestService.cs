using System.Buffers;
using System.Diagnostics;
using IotTelemetry.Common.Configuration;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Json;
using IotTelemetry.Edge.Sparkplug;
using IotTelemetry.Edge.Validation;
using IotTelemetry.Edge.Writer;
using MQTTnet.Protocol;
using MQTTnet;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IotTelemetry.Edge.Mqtt;

/// <summary>
/// MQTT (MQTTnet) -> readings -> edge Kafka. Each message is mapped and validated; its readings (or, when it is bad,
/// the original bytes with the reason) are written to the edge cluster, and only when the cluster has
/// acknowledged them is the message acknowledged to the broker (manual acknowledgement). A crash in between
/// loses nothing: the broker redelivers what was not acknowledged when the agent reconnects.
/// </summary>
/// <remarks>
/// MQTTnet has no reconnecting client: this service connects, subscribes when the broker kept no session, waits
/// for the connection to end and reconnects with backoff (<see cref="ReconnectBackoff"/>, the one policy for a failed attempt
/// and a lost connection alike). Every connection gets a new MQTTnet client, so that an
/// acknowledgement that arrives from Kafka after its connection ended is dropped (the broker redelivers the message
/// on the new connection) instead of being sent, by packet id, on a connection where that id may name another message.
/// </remarks>
public sealed class MqttIngestService : BackgroundService
{
    private static readonly MqttClientFactory Factory = new();
    private readonly AgentOptions _agent;
    private readonly MqttIngestOptions _mqtt;
    private readonly SparkplugOptions _sparkplugOptions;
    private readonly EdgeWriter _writer;
    private readonly EdgeMetrics _metrics;
    private readonly ILogger _log;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly PayloadMapper _mapper;
    private readonly SparkplugMapper? _sparkplug;
    private volatile IMqttClient? _current;
    private volatile AcknowledgementOrder? _order; // the current connection's, for the gauges
    private volatile string? _certificateRejection;
    private long _acknowledging;
    private CancellationToken _stopping;

    public MqttIngestService(IOptions<AgentOptions> agent, IOptions<MqttIngestOptions> mqtt, IOptions<List<MappingRule>> rules, IOptions<SparkplugOptions> sparkplug,
        IOptions<ValidationOptions> validation, EdgeWriter writer, EdgeMetrics metrics, ILoggerFactory loggers, IHostApplicationLifetime lifetime)
    {
        _agent = agent.Value;
        _mqtt = mqtt.Value;
        _sparkplugOptions = sparkplug.Value;
        _writer = writer;
        _metrics = metrics;
        _log = loggers.CreateLogger("IotTelemetry.Edge.Mqtt");
        _lifetime = lifetime;
        _mapper = new PayloadMapper(rules.Value, validation.Value, _agent.Site);
        _sparkplug = _sparkplugOptions.Enabled
            ? new SparkplugMapper(_sparkplugOptions, validation.Value, _agent.Site, _sparkplugOptions.HostId is null ? null : RequestRebirth)
            : null;
        _stateTopic = _sparkplugOptions is { Enabled: true, HostId: { } host } ? SparkplugHostState.Topic(host) : null;
    }

    /// <summary>The host application's STATE topic, when Sparkplug:HostId is set.</summary>
    private readonly string? _stateTopic;

    /// <summary>The timestamp of the current connection's STATE will, repeated in its STATE birth (Sparkplug 3.0).</summary>
    private long _stateTimestamp;

    private MqttIngestOptions Mqtt => _mqtt;

    private bool IgnoreRetained => Mqtt.Retained == "Ignore";

    private string Broker => $"{Mqtt.Host}:{Mqtt.Port}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        if (WithholdAcknowledgements) _log.LogWarning("IOTT_FAULT_WITHHOLD_MQTT_ACKS=1: MQTT messages are written to Kafka but never acknowledged (fault injection for tests)");
        var errors = new ConfigErrors();
        var options = Mqtt.ToClientOptions(_agent.Site, errors, why => _certificateRejection = why);
        errors.ThrowIfAny();
        _metrics.Registry.Gauge("iott_edge_mqtt_connected", "1 while the MQTT connection is up", () => _current?.IsConnected == true ? 1 : 0);
        _metrics.Registry.Gauge("iott_edge_mqtt_unacknowledged",
            "Messages received on the current MQTT connection whose PUBACK is not sent yet (their readings not yet durable, or waiting for an older message of the same packet identifier)",
            () => _order?.Unacknowledged ?? 0);
        _metrics.Registry.Gauge("iott_edge_mqtt_held_back",
            "Of those, messages durable already whose PUBACK waits for an older message of the same packet identifier",
            () => _order?.HeldBack ?? 0);
        var filters = Mqtt.Subscriptions.Count > 0 ? Mqtt.Subscriptions : _mapper.SubscriptionFilters.ToList();
        if (_sparkplug is not null) filters = [.. filters, _sparkplugOptions.TopicFilter];
        if (_stateTopic is not null) filters = [.. filters, _stateTopic]; // to answer a will of ours that says offline
        filters = TopicFilters.Minimal(filters); // overlapping subscriptions would deliver a message once per match

        // The memory of recent writes first: a message redelivered after a crash must find its readings there.
        try { await _writer.Ready.WaitAsync(stoppingToken); }
        catch (OperationCanceledException) { return; }

        var backoff = new ReconnectBackoff(Mqtt.ReconnectMinDelay, Mqtt.ReconnectMaxDelay);
        var connectedBefore = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var client = Factory.CreateMqttClient();
            var lost = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
            client.DisconnectedAsync += e =>
            {
                lost.TrySetResult(e);
                return Task.CompletedTask;
            };
            var order = new AcknowledgementOrder(); // per connection: packet identifiers belong to one
            _order = order;
            client.ApplicationMessageReceivedAsync += e => OnMessageAsync(e, order);
            _current = client; // before connecting: messages (and rebirth requests) may come before ConnectAsync returns
            try
            {
                var outcome = await ConnectAsync(client, options, filters, isReconnect: connectedBefore, stoppingToken);
                if (outcome == Outcome.Fatal)
                {
                    Environment.ExitCode = 3;
                    _lifetime.StopApplication();
                    return;
                }
                if (outcome == Outcome.Connected)
                {
                    if (connectedBefore) _metrics.MqttReconnects.Increment();
                    connectedBefore = true;
                    var since = Stopwatch.GetTimestamp();
                    var end = await lost.Task.WaitAsync(stoppingToken);
                    LogMessages.MqttConnectionLost(_log, Broker, Describe(end));
                    backoff.ConnectionEnded(Stopwatch.GetElapsedTime(since));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                await CloseAsync(client);
                return;
            }
            var pause = backoff.NextPause();
            try { await Task.Delay(pause, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    private enum Outcome { Connected, Retry, Fatal }

    /// <summary>
    /// One connection attempt: CONNACK, then the subscriptions unless the broker resumed the session. A broker that
    /// cannot be reached is retried (a plant's broker may start after the agent); a refusal that waiting cannot fix
    /// (credentials, certificate, a refused subscription) stops the agent with a message, not a stack trace.
    /// </summary>
    private async Task<Outcome> ConnectAsync(IMqttClient client, MqttClientOptions options, List<string> filters, bool isReconnect, CancellationToken ct)
    {
        MqttClientConnectResult result;
        _certificateRejection = null;
        if (_stateTopic is not null)
        {
            // The will: the broker publishes it, retained, when this connection ends without a DISCONNECT.
            _stateTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            options.WillTopic = _stateTopic;
            options.WillPayload = SparkplugHostState.Payload(online: false, _stateTimestamp);
            options.WillRetain = true;
            options.WillQualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce;
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(MqttIngestOptions.ConnectTimeout);
            result = await client.ConnectAsync(options, timeout.Token);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            if (_certificateRejection is { } why)
                return Fatal($"TLS handshake with MQTT broker {Broker} failed: {why}");
            var reason = ex is OperationCanceledException ? $"no CONNACK within {MqttIngestOptions.ConnectTimeout.TotalSeconds:0} s" : Innermost(ex);
            LogMessages.MqttUnreachable(_log, Broker, reason);
            return Outcome.Retry;
        }
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            var text = $"MQTT broker {Broker} refused the connection: {result.ResultCode} (CONNACK 0x{(int)result.ResultCode:X2})" + (result.ReasonString is { Length: > 0 } rs ? $" ({rs})" : "");
            if (IsPermanent(result.ResultCode)) return Fatal(text + "; check Mqtt:Username, Mqtt:Password/PasswordFile and Mqtt:ClientId");
            LogMessages.MqttUnreachable(_log, Broker, text);
            return Outcome.Retry;
        }
        LogMessages.MqttConnected(_log, Broker, options.ClientId, Mqtt.ProtocolVersion, result.IsSessionPresent);
        // The broker resumed the session: the subscriptions are in it, and the unacknowledged messages come again.
        if (isReconnect && result.IsSessionPresent) return await PublishStateAsync(client, ct);

        // Retained messages ignored: an MQTT 5 broker is asked not to replay them at all; a 3.1.1 broker does, and
        // OnMessageAsync acknowledges them unread.
        var retainHandling = IgnoreRetained && Mqtt.ProtocolVersion != "3.1.1" ? MqttRetainHandling.DoNotSendOnSubscribe : MqttRetainHandling.SendAtSubscribe;
        var subscribe = Factory.CreateSubscribeOptionsBuilder();
        foreach (var filter in filters)
            subscribe.WithTopicFilter(filter, (MqttQualityOfServiceLevel)Mqtt.Qos, noLocal: false, retainAsPublished: false, retainHandling);
        MqttClientSubscribeResult granted;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(MqttIngestOptions.ConnectTimeout);
            granted = await client.SubscribeAsync(subscribe.Build(), timeout.Token);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogMessages.MqttConnectionLost(_log, Broker, "subscribing failed: " + Innermost(ex));
            return Outcome.Retry;
        }
        foreach (var item in granted.Items)
            if ((int)item.ResultCode >= 0x80)
                return Fatal($"MQTT broker {Broker} refused the subscription to '{item.TopicFilter.Topic}': {item.ResultCode} (SUBACK 0x{(int)item.ResultCode:X2})");
        LogMessages.MqttSubscribed(_log, Broker, string.Join(", ", filters));
        return await PublishStateAsync(client, ct);
    }

    /// <summary>Sparkplug host application: the STATE birth (retained, QoS 1), after the subscriptions, with the will's timestamp.</summary>
    private async Task<Outcome> PublishStateAsync(IMqttClient client, CancellationToken ct)
    {
        if (_stateTopic is null) return Outcome.Connected;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(MqttIngestOptions.ConnectTimeout);
            var state = await client.PublishAsync(StateMessage(), timeout.Token);
            if (!state.IsSuccess)
                return Fatal($"MQTT broker {Broker} refused the Sparkplug STATE birth on '{_stateTopic}': {state.ReasonCode}; check the broker's ACL for Sparkplug:HostId");
            LogMessages.SparkplugHostOnline(_log, _stateTopic);
            return Outcome.Connected;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogMessages.MqttConnectionLost(_log, Broker, "publishing the Sparkplug STATE birth failed: " + Innermost(ex));
            return Outcome.Retry;
        }
    }

    private MqttApplicationMessage StateMessage(bool online = true) => new MqttApplicationMessageBuilder()
        .WithTopic(_stateTopic).WithPayload(SparkplugHostState.Payload(online, _stateTimestamp))
        .WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    /// <summary>
    /// Called by the Sparkplug mapper (in the message loop, already rate-limited per edge node): publishes the NCMD
    /// rebirth command without waiting, so that the message loop is never blocked on the broker.
    /// </summary>
    private void RequestRebirth(RebirthRequest request)
    {
        if (_current is not { IsConnected: true } client) return;
        _metrics.SparkplugRebirths(request.Reason).Increment();
        LogMessages.SparkplugRebirthRequested(_log, request.Group, request.Node, request.Reason);
        var command = new MqttApplicationMessageBuilder()
            .WithTopic(SparkplugCommand.NodeCommandTopic(request.Group, request.Node))
            .WithPayload(SparkplugCommand.Rebirth((ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build();
        _ = PublishInBackgroundAsync(client, command);
    }

    private async Task PublishInBackgroundAsync(IMqttClient client, MqttApplicationMessage message)
    {
        try
        {
            using var timeout = new CancellationTokenSource(MqttIngestOptions.ConnectTimeout);
            await client.PublishAsync(message, timeout.Token);
        }
        catch (Exception ex)
        {
            LogMessages.MqttConnectionLost(_log, Broker, $"publishing to {message.Topic} failed: " + Innermost(ex));
        }
    }

    private Outcome Fatal(string reason)
    {
        _log.LogCritical("Stopping the edge agent: {Reason}", reason);
        return Outcome.Fatal;
    }

    /// <summary>CONNACK refusals that reconnecting will not fix without a configuration change.</summary>
    private static bool IsPermanent(MqttClientConnectResultCode code) => code is MqttClientConnectResultCode.UnsupportedProtocolVersion
        or MqttClientConnectResultCode.ClientIdentifierNotValid or MqttClientConnectResultCode.BadUserNameOrPassword
        or MqttClientConnectResultCode.NotAuthorized or MqttClientConnectResultCode.Banned or MqttClientConnectResultCode.BadAuthenticationMethod;

    /// <summary>
    /// Shutdown: everything written is acknowledged to the broker before a clean DISCONNECT (the session stays);
    /// a Sparkplug host application publishes its STATE offline first.
    /// </summary>
    private async Task CloseAsync(IMqttClient client)
    {
        _writer.Flush(TimeSpan.FromSeconds(10));
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (Interlocked.Read(ref _acknowledging) > 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        if (!client.IsConnected) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            // A clean DISCONNECT discards the will: the host application says offline itself.
            if (_stateTopic is not null) await client.PublishAsync(StateMessage(online: false), timeout.Token);
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token);
        }
        catch (Exception ex)
        {
            LogMessages.MqttConnectionLost(_log, Broker, "disconnecting failed: " + Innermost(ex));
        }
    }

    /// <summary>
    /// Runs in MQTTnet's message loop, one message at a time: maps the message and hands its records to the producer,
    /// which returns at once (it waits only while its queue is full: back-pressure). The acknowledgement is sent from
    /// the producer's delivery report. Its own error boundary: whatever the payload holds, a failure here
    /// dead-letters this message (<c>processing_error</c>) and the next one is handled.
    /// </summary>
    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e, AcknowledgementOrder order)
    {
        e.AutoAcknowledge = false;
        var pending = order.Received(e); // first: every acknowledgement below goes through the identifier's order
        _metrics.MessagesReceived.Increment();
        var message = e.ApplicationMessage;
        if (message.Retain && IgnoreRetained)
        {
            _metrics.RetainedIgnored.Increment();
            Acknowledge(order, pending);
            return Task.CompletedTask;
        }
        var sequence = message.Payload;
        ReadOnlyMemory<byte> payload = sequence.IsSingleSegment ? sequence.First : sequence.ToArray();
        var topic = message.Topic;
        if (topic == _stateTopic)
        {
            // Our own STATE: a will that says offline while we are connected (an older session's, delivered late) is answered with the birth again.
            if (SparkplugHostState.SaysOffline(message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray())
                && !_stopping.IsCancellationRequested && _current is { IsConnected: true } client)
                _ = PublishInBackgroundAsync(client, StateMessage());
            Acknowledge(order, pending);
            return Task.CompletedTask;
        }
        var requireDeviceTimestamp = message.Retain && Mqtt.Retained == "WithTimestamp";
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
        var rejection = result.Rejection ?? _writer.Write(result.Readings, source, () => Acknowledge(order, pending), _stopping, result.Rule ?? LineageHeaders.SparkplugRule);
        if (rejection is not null) _writer.WriteDeadLetter(topic, payload.Span, source, rejection, received, () => Acknowledge(order, pending), _stopping, redelivered: message.Dup);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Fault injection for the tests and the soak (environment variable <c>IOTT_FAULT_WITHHOLD_MQTT_ACKS=1</c>): the agent
    /// writes to Kafka as usual but never acknowledges to the broker, so that a kill -9 lands exactly between the Kafka
    /// acknowledgement and the PUBACK. Logged as a warning at start; never set it in production.
    /// </summary>
    private static readonly bool WithholdAcknowledgements = Environment.GetEnvironmentVariable("IOTT_FAULT_WITHHOLD_MQTT_ACKS") == "1";

    /// <summary>
    /// PUBACK (QoS 1) or PUBREC (QoS 2; MQTTnet answers the PUBREL) for a durable message, and for the younger ones of its
    /// packet identifier that were waiting for it (<see cref="AcknowledgementOrder"/>). Fails harmlessly when the connection is gone.
    /// </summary>
    private void Acknowledge(AcknowledgementOrder order, AcknowledgementOrder.Pending pending)
    {
        if (WithholdAcknowledgements) return;
        var ready = order.Release(pending);
        if (ready.Count == 0) return;
        Interlocked.Increment(ref _acknowledging);
        _ = SendAcknowledgementsAsync(ready);
    }

    /// <summary>One after the other: several of one packet identifier must reach the broker in their order of arrival.</summary>
    private async Task SendAcknowledgementsAsync(IReadOnlyList<MqttApplicationMessageReceivedEventArgs> ready)
    {
        try
        {
            foreach (var e in ready)
            {
                try
                {
                    await e.AcknowledgeAsync(CancellationToken.None);
                }
                catch (Exception ex)
                {
                    LogMessages.MqttAcknowledgementLost(_log, e.ApplicationMessage.Topic, Innermost(ex));
                    return; // the connection is gone: the broker sends the rest again on the next one
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _acknowledging);
        }
    }

    private static string Describe(MqttClientDisconnectedEventArgs e) =>
        e.Reason + (e.ReasonString is { Length: > 0 } rs ? $" ({rs})" : "") + (e.Exception is { } ex ? ": " + Innermost(ex) : "");

    private static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null) ex = ex.InnerException;
        return ex.Message;
    }
}
