using System.Buffers;
using System.Buffers.Binary;
using IotTelemetry.Mqtt.Internal;

namespace IotTelemetry.Mqtt;

public sealed partial class MqttClient
{
    private const int StackPacketLimit = 512;

    /// <summary>
    /// Publishes one message. QoS 0 completes once queued for the socket; QoS 1/2 complete when the broker
    /// acknowledged (PUBACK / PUBCOMP). Up to <see cref="MqttClientOptions.MaxInFlightPublishes"/> QoS 1/2
    /// publishes are in flight at once; further ones queue, in call order, until an acknowledgement frees a slot
    /// (await the result for back-pressure). While disconnected QoS 0 calls wait for the reconnect and QoS 1/2
    /// are kept and sent then. Cancelling stops the wait only: a message already handed over may still be
    /// delivered. The payload must not change until the returned task completes.
    /// </summary>
    /// <exception cref="MqttPacketTooLargeException">The packet exceeds the maximum packet size.</exception>
    public ValueTask<MqttPublishResult> PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain,
        CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        ValidateTopicName(topic);
        if ((uint)qos > 2) throw new ArgumentOutOfRangeException(nameof(qos), qos, "Expected QoS 0, 1 or 2");
        var topicSize = WireWriter.StringSize(topic);
        var size = PacketEncoder.GetPublishSize(topicSize, payload.Length, qos, _options.ProtocolVersion, null);
        var current = Volatile.Read(ref _current);
        var limit = current?.MaximumPacketSize ?? _options.MaximumPacketSize;
        if (size > limit)
            throw new MqttPacketTooLargeException(size, limit, current?.MaximumPacketSizeSource ?? "Mqtt:MaximumPacketSize");

        if (qos == MqttQualityOfService.AtMostOnce)
        {
            if (current is { IsBroken: false } && !current.Queue.IsOverHighWaterMark && TryWriteQos0(current, topic, topicSize, payload.Span, retain, size))
                return new ValueTask<MqttPublishResult>(new MqttPublishResult(0));
            return PublishQos0SlowAsync(topic, topicSize, payload, retain, size, cancellationToken);
        }

        return AwaitAcknowledgement(Register(topic, topicSize, payload, qos, retain, size), cancellationToken);
    }

    private bool TryWriteQos0(MqttConnection connection, string topic, int topicSize, ReadOnlySpan<byte> payload, bool retain, int size)
    {
        byte[]? rented = null;
        var buffer = size <= StackPacketLimit ? stackalloc byte[StackPacketLimit] : (rented = ArrayPool<byte>.Shared.Rent(size));
        PacketEncoder.WritePublish(buffer, topic, topicSize, payload, MqttQualityOfService.AtMostOnce, retain, false, 0, _options.ProtocolVersion, null);
        var written = connection.Queue.TryEnqueue(buffer[..size]);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        if (written) Interlocked.Increment(ref _messagesPublished);
        return written;
    }

    private async ValueTask<MqttPublishResult> PublishQos0SlowAsync(string topic, int topicSize, ReadOnlyMemory<byte> payload, bool retain, int size,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var connection = await WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
            await connection.Queue.WaitForSpaceAsync(cancellationToken).ConfigureAwait(false);
            if (TryWriteQos0(connection, topic, topicSize, payload.Span, retain, size)) return new MqttPublishResult(0);
        }
    }

    private static ValueTask<MqttPublishResult> AwaitAcknowledgement(PendingPublish pending, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled
            ? new ValueTask<MqttPublishResult>(pending.Task.WaitAsync(cancellationToken))
            : new ValueTask<MqttPublishResult>(pending.Task);

    /// <summary>
    /// Records a QoS 1/2 publish in call order: it goes out now when the in-flight window has room (and a
    /// connection is up), otherwise it waits in <c>_unsent</c> until an acknowledgement frees a slot.
    /// </summary>
    private PendingPublish Register(string topic, int topicSize, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain, int size)
    {
        var pending = new PendingPublish(topic, topicSize, payload, qos, retain);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var idOffset = PacketEncoder.WritePublish(buffer, topic, topicSize, payload.Span, qos, retain, false, 0, _options.ProtocolVersion, null);
            lock (_gate)
            {
                ThrowIfDisposed();
                pending.Sequence = ++_sequence;
                if (_inFlight < _inFlightLimit && _unsent.Count == 0)
                {
                    var id = StartLocked(pending);
                    BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(idOffset), id);
                    if (_current is { IsBroken: false } connection && connection.Queue.TryEnqueue(buffer.AsSpan(0, size)))
                        pending.Sent = true;
                }
                else
                {
                    _unsent.Enqueue(pending);
                }
            }
            return pending;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Makes <paramref name="pending"/> in flight: a packet id and a window slot. The caller sends it.</summary>
    private ushort StartLocked(PendingPublish pending)
    {
        var id = AllocatePacketIdLocked();
        pending.PacketId = id;
        _outgoing[id] = pending;
        _inFlight++;
        return id;
    }

    /// <summary>Moves queued publishes into the window while it has room, sending them if connected.</summary>
    private void DrainUnsentLocked()
    {
        while (_inFlight < _inFlightLimit && _unsent.TryDequeue(out var next))
        {
            StartLocked(next);
            if (_current is { IsBroken: false } connection) SendPendingLocked(connection, next, dup: false);
        }
    }

    private ushort AllocatePacketIdLocked()
    {
        for (var tries = 0; tries < 65535; tries++)
        {
            var id = ++_nextPacketId;
            if (id == 0) id = _nextPacketId = 1;
            if (!_idInUse[id])
            {
                _idInUse[id] = true;
                return id;
            }
        }
        throw new InvalidOperationException("All 65535 MQTT packet identifiers are in use");
    }

    private void OnPubAck(AckPacket ack)
    {
        PendingPublish? p;
        lock (_gate)
        {
            p = _outgoing[ack.PacketId];
            if (p is null || p.Qos != MqttQualityOfService.AtLeastOnce) p = null;
            else Forget(ack.PacketId);
            if (p is not null) DrainUnsentLocked();
        }
        Complete(p, ack, "PUBACK");
    }

    private void OnPubRec(MqttConnection connection, AckPacket ack)
    {
        PendingPublish? failed = null;
        lock (_gate)
        {
            var p = _outgoing[ack.PacketId];
            if (p is { Qos: MqttQualityOfService.ExactlyOnce })
            {
                if (ack.ReasonCode >= 0x80)
                {
                    failed = p;
                    Forget(ack.PacketId);
                    DrainUnsentLocked();
                }
                else
                {
                    p.Released = true;
                }
            }
        }
        if (failed is not null)
        {
            Complete(failed, ack, "PUBREC");
            return;
        }
        Span<byte> rel = stackalloc byte[PacketEncoder.AckSize];
        PacketEncoder.WriteAck(rel, PacketType.PubRel, ack.PacketId);
        connection.Queue.TryEnqueue(rel);
    }

    private void OnPubComp(AckPacket ack)
    {
        PendingPublish? p;
        lock (_gate)
        {
            p = _outgoing[ack.PacketId];
            if (p is null || p.Qos != MqttQualityOfService.ExactlyOnce) p = null;
            else Forget(ack.PacketId);
            if (p is not null) DrainUnsentLocked();
        }
        Complete(p, ack, "PUBCOMP");
    }

    /// <summary>Ends an in-flight publish: frees its packet id and window slot. Caller holds _gate.</summary>
    private void Forget(ushort packetId)
    {
        _outgoing[packetId] = null;
        _idInUse[packetId] = false;
        _inFlight--;
    }

    private void Complete(PendingPublish? p, AckPacket ack, string packetType)
    {
        if (p is null)
        {
            LogMessages.UnexpectedAck(_logger, packetType, ack.PacketId);
            return;
        }
        if (ack.ReasonCode < 0x80) Interlocked.Increment(ref _messagesPublished);
        p.TrySetResult(new MqttPublishResult(ack.ReasonCode, ack.ReasonString));
    }

    private async ValueTask<MqttConnection> WaitForConnectionAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                ThrowIfDisposed();
                if (_current is { IsBroken: false } connection) return connection;
                signal = _connectedSignal.Task;
            }
            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void ValidateTopicName(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.Length == 0) throw new ArgumentException("Expected a non-empty MQTT topic name, got an empty string", nameof(topic));
        if (topic.AsSpan().IndexOfAny('+', '#', '\0') >= 0)
            throw new ArgumentException($"Expected an MQTT topic name without wildcards (+, #) or NUL, got '{topic}'", nameof(topic));
    }
}
