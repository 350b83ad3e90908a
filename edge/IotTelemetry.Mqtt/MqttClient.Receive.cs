using IotTelemetry.Mqtt.Internal;

namespace IotTelemetry.Mqtt;

public sealed partial class MqttClient
{
    private static readonly IReadOnlyList<MqttUserProperty> NoUserProperties = [];

    /// <summary>Reads packets until the connection breaks; delivers PUBLISH to the channel, waiting while it is full.</summary>
    private async Task RunReaderAsync(MqttConnection connection)
    {
        try
        {
            var token = connection.Token;
            while (true)
            {
                var next = await connection.Reader.ReadAsync(token).ConfigureAwait(false);
                if (next is not { } raw)
                {
                    connection.Break(connection.LocalCloseReason ?? "the broker closed the connection");
                    return;
                }
                if (raw.Type == PacketType.Publish)
                {
                    var message = DecodePublish(connection, raw);
                    Interlocked.Increment(ref _messagesReceived);
                    if (!_received.Writer.TryWrite(message))
                    {
                        connection.SetBlockedOnConsumer(true);
                        try { await _received.Writer.WriteAsync(message, token).ConfigureAwait(false); }
                        finally { connection.SetBlockedOnConsumer(false); }
                    }
                }
                else
                {
                    HandleControlPacket(connection, raw);
                }
                if (!connection.Reader.HasBufferedPacket)
                    await connection.Queue.FlushInlineAsync(connection.Stream, token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            if (!connection.IsBroken)
            {
                var reason = ex switch
                {
                    MqttException => ex.Message,
                    OperationCanceledException => "cancelled",
                    _ => "reading from the broker failed: " + ex.Message,
                };
                connection.Break(reason, null, ex);
            }
        }
    }

    private MqttReceivedMessage DecodePublish(MqttConnection connection, RawPacket raw)
    {
        var p = PacketDecoder.Publish(raw.Body.Span, raw.Flags, _options.ProtocolVersion);
        var payload = p.Payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : p.Payload.ToArray();
        IReadOnlyList<MqttUserProperty> userProperties = p.Properties?.UserProperties is { } ups ? ups : NoUserProperties;
        return new MqttReceivedMessage(this, connection, p.Topic, payload, p.Qos, p.Retain, p.Dup, p.PacketId,
            p.Properties?.ContentType, userProperties);
    }

    private void HandleControlPacket(MqttConnection connection, RawPacket raw)
    {
        var version = _options.ProtocolVersion;
        switch (raw.Type)
        {
            case PacketType.PubAck:
                OnPubAck(PacketDecoder.Ack(raw.Body.Span, version));
                break;
            case PacketType.PubRec:
                OnPubRec(connection, PacketDecoder.Ack(raw.Body.Span, version));
                break;
            case PacketType.PubComp:
                OnPubComp(PacketDecoder.Ack(raw.Body.Span, version));
                break;
            case PacketType.PubRel:
                // Our PUBREC for an incoming QoS 2 message was received: finish with PUBCOMP.
                var rel = PacketDecoder.Ack(raw.Body.Span, version);
                Span<byte> comp = stackalloc byte[PacketEncoder.AckSize];
                PacketEncoder.WriteAck(comp, PacketType.PubComp, rel.PacketId);
                connection.Queue.TryEnqueue(comp);
                break;
            case PacketType.SubAck:
            case PacketType.UnsubAck:
                OnSubAck(raw.Type == PacketType.UnsubAck && version == MqttProtocolVersion.V311
                    ? new SubAckPacket(PacketDecoder.Ack(raw.Body.Span, version).PacketId, [], null)
                    : PacketDecoder.SubAck(raw.Body.Span, version));
                break;
            case PacketType.PingResp:
                connection.PingSentTicks = 0;
                break;
            case PacketType.Disconnect:
                var d = PacketDecoder.Disconnect(raw.Body.Span, version);
                var text = $"the broker sent DISCONNECT: {ReasonCodes.Describe(d.ReasonCode)} (0x{d.ReasonCode:X2})" + (d.ReasonString is null ? "" : $" {d.ReasonString}");
                connection.Break(text, d.ReasonCode);
                break;
            default:
                throw new MqttProtocolException($"Expected a packet a broker may send to a client but got {raw.Type}");
        }
    }

    /// <summary>Called by <see cref="MqttReceivedMessage.Acknowledge"/>; false when its connection is gone.</summary>
    internal bool SendAcknowledgement(MqttConnection connection, MqttReceivedMessage message)
    {
        if (connection.IsBroken) return false;
        Span<byte> ack = stackalloc byte[PacketEncoder.AckSize];
        PacketEncoder.WriteAck(ack, message.Qos == MqttQualityOfService.AtLeastOnce ? PacketType.PubAck : PacketType.PubRec, message.PacketId);
        if (!connection.Queue.TryEnqueue(ack)) return false;
        Interlocked.Increment(ref _messagesAcknowledged);
        return true;
    }

    /// <summary>
    /// Sends PINGREQ when nothing was written for 3/4 of the keep-alive, and breaks the connection when a
    /// PINGREQ goes unanswered for a whole interval, unless the socket is unread because the application
    /// is slow to take messages (then the answer is queued behind them and the connection is healthy).
    /// </summary>
    private async Task RunKeepAliveAsync(MqttConnection connection)
    {
        var interval = _options.KeepAlive;
        if (interval <= TimeSpan.Zero) return;
        var intervalMs = (long)interval.TotalMilliseconds;
        try
        {
            using var timer = new PeriodicTimer(interval / 4);
            while (await timer.WaitForNextTickAsync(connection.Token).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                var pingSent = connection.PingSentTicks;
                if (pingSent != 0 && connection.Reader.LastReceiveTicks >= pingSent)
                {
                    connection.PingSentTicks = pingSent = 0;
                }
                if (pingSent != 0 && now - pingSent > intervalMs && !connection.IsBlockedOnConsumer
                    && now - connection.LastUnblockedTicks > intervalMs)
                {
                    connection.Break($"no answer to PINGREQ within the keep-alive of {interval.TotalSeconds:0.#} s");
                    return;
                }
                if (now - connection.Queue.LastWriteTicks >= intervalMs * 3 / 4)
                {
                    if (connection.Queue.TryEnqueue(PacketEncoder.PingReq) && pingSent == 0)
                        connection.PingSentTicks = now;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
