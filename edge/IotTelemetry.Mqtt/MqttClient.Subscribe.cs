using IotTelemetry.Mqtt.Internal;

namespace IotTelemetry.Mqtt;

public sealed partial class MqttClient
{
    /// <summary>
    /// Subscribes and waits for SUBACK. The subscription is remembered and sent again after a reconnect
    /// whose broker kept no session. Throws <see cref="MqttSubscribeException"/> when the broker refuses.
    /// </summary>
    public async Task<MqttSubscribeResult> SubscribeAsync(string topicFilter, MqttQualityOfService qos, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        ValidateTopicFilter(topicFilter);
        if ((uint)qos > 2) throw new ArgumentOutOfRangeException(nameof(qos), qos, "Expected QoS 0, 1 or 2");
        var connection = await WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
        var ack = await SendSubscribeAsync(connection, [new(topicFilter, qos)], cancellationToken).ConfigureAwait(false);
        var code = ack.ReasonCodes.Length > 0 ? ack.ReasonCodes[0] : (byte)0x80;
        if (code >= 0x80)
        {
            var reason = ack.ReasonString is null ? "" : $" ({ack.ReasonString})";
            throw new MqttSubscribeException(
                $"MQTT broker refused the subscription to '{topicFilter}': {ReasonCodes.Describe(code)}{reason} (SUBACK 0x{code:X2})", topicFilter, code);
        }
        lock (_gate) _subscriptions[topicFilter] = qos;
        return new MqttSubscribeResult(topicFilter, (MqttQualityOfService)code);
    }

    /// <summary>Unsubscribes, waits for UNSUBACK and forgets the filter.</summary>
    public async Task UnsubscribeAsync(string topicFilter, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        ValidateTopicFilter(topicFilter);
        lock (_gate) _subscriptions.Remove(topicFilter);
        var connection = await WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
        var id = RegisterAckWaiter(out var waiter);
        connection.Queue.TryEnqueue(PacketEncoder.Unsubscribe(id, topicFilter, _options.ProtocolVersion));
        var ack = await AwaitAckAsync(id, waiter, "UNSUBACK", cancellationToken).ConfigureAwait(false);
        if (ack.ReasonCodes.Length > 0 && ack.ReasonCodes[0] >= 0x80)
            throw new MqttException(
                $"MQTT broker refused to unsubscribe '{topicFilter}': {ReasonCodes.Describe(ack.ReasonCodes[0])} (UNSUBACK 0x{ack.ReasonCodes[0]:X2})", isTransient: false);
    }

    private async Task<SubAckPacket> SendSubscribeAsync(MqttConnection connection, KeyValuePair<string, MqttQualityOfService>[] filters,
        CancellationToken cancellationToken)
    {
        var id = RegisterAckWaiter(out var waiter);
        connection.Queue.TryEnqueue(PacketEncoder.Subscribe(id, filters, _options.ProtocolVersion));
        return await AwaitAckAsync(id, waiter, "SUBACK", cancellationToken).ConfigureAwait(false);
    }

    private ushort RegisterAckWaiter(out TaskCompletionSource<SubAckPacket> waiter)
    {
        waiter = new TaskCompletionSource<SubAckPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var id = AllocatePacketIdLocked();
            _ackWaiters[id] = waiter;
            return id;
        }
    }

    private async Task<SubAckPacket> AwaitAckAsync(ushort id, TaskCompletionSource<SubAckPacket> waiter, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await waiter.Task.WaitAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            lock (_gate)
            {
                if (_ackWaiters.TryGetValue(id, out var w) && w == waiter)
                {
                    _ackWaiters.Remove(id);
                    _idInUse[id] = false;
                }
            }
            if (ex is OperationCanceledException) throw;
            throw new MqttException($"Expected {what} from MQTT broker {_options.Host}:{_options.Port} within {_options.OperationTimeout.TotalSeconds:0.#} s but none came", isTransient: true, ex);
        }
    }

    private void OnSubAck(SubAckPacket ack)
    {
        TaskCompletionSource<SubAckPacket>? waiter;
        lock (_gate)
        {
            if (_ackWaiters.Remove(ack.PacketId, out waiter)) _idInUse[ack.PacketId] = false;
        }
        if (waiter is null) LogMessages.UnexpectedAck(_logger, "SUBACK/UNSUBACK", ack.PacketId);
        else waiter.TrySetResult(ack);
    }

    private static void ValidateTopicFilter(string topicFilter)
    {
        ArgumentNullException.ThrowIfNull(topicFilter);
        if (topicFilter.Length == 0)
            throw new ArgumentException("Expected a non-empty MQTT topic filter, got an empty string", nameof(topicFilter));
    }
}
