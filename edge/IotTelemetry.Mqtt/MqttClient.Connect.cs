using System.Buffers;
using System.Net.Sockets;
using IotTelemetry.Mqtt.Internal;

namespace IotTelemetry.Mqtt;

public sealed partial class MqttClient
{
    /// <summary>
    /// Validates the options, connects once (throwing <see cref="MqttConnectException"/> when the broker
    /// cannot be reached or refuses), then keeps the connection up in the background until disposal.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        MqttClientOptionsValidator.ThrowIfInvalid(_options);
        if (Interlocked.Exchange(ref _connectCalled, 1) != 0)
            throw new InvalidOperationException("ConnectAsync was already called; the client reconnects by itself");
        MqttConnection connection;
        try
        {
            connection = await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Volatile.Write(ref _connectCalled, 0);
            throw;
        }
        if (Volatile.Read(ref _disposed) != 0)
        {
            connection.Break("client disposed while connecting");
            ThrowIfDisposed();
        }
        Establish(connection, isReconnect: false);
        _supervisor = Task.Run(() => SuperviseAsync(connection));
    }

    /// <summary>Waits for each connection to end, then reconnects with exponential backoff until disposed.</summary>
    private async Task SuperviseAsync(MqttConnection connection)
    {
        var token = _disposeCts.Token;
        while (true)
        {
            MqttDisconnectedEventArgs lost;
            try
            {
                lost = await connection.Closed.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // Disposing: DisposeAsync closes the current connection itself.
            }
            OnConnectionLost(connection, lost);
            if (token.IsCancellationRequested) return;
            var delay = NextReconnectDelay(0);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await Task.Delay(delay, token).ConfigureAwait(false);
                    connection = await ConnectOnceAsync(token).ConfigureAwait(false);
                    if (token.IsCancellationRequested)
                    {
                        connection.Break("client disposed while reconnecting");
                        return;
                    }
                    Interlocked.Increment(ref _reconnects);
                    Establish(connection, isReconnect: true);
                    break;
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    delay = NextReconnectDelay(attempt);
                    LogMessages.ReconnectFailed(_logger, attempt, delay, ex.Message);
                }
            }
        }
    }

    private TimeSpan NextReconnectDelay(int failedAttempts) =>
        ReconnectBackoff.Delay(failedAttempts, _options.ReconnectMinDelay, _options.ReconnectMaxDelay, _options.ReconnectJitter, _random);

    private void OnConnectionLost(MqttConnection connection, MqttDisconnectedEventArgs lost)
    {
        List<TaskCompletionSource<SubAckPacket>> waiters = [];
        lock (_gate)
        {
            if (_current == connection) _current = null;
            if (_connectedSignal.Task.IsCompleted && !_connectedSignal.Task.IsFaulted)
                _connectedSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            foreach (var (id, waiter) in _ackWaiters)
            {
                _idInUse[id] = false;
                waiters.Add(waiter);
            }
            _ackWaiters.Clear();
        }
        var error = new MqttException($"Lost the connection to MQTT broker {_options.Host}:{_options.Port} before the acknowledgement: {lost.Reason}");
        foreach (var waiter in waiters) waiter.TrySetException(error);
        LogMessages.ConnectionLost(_logger, _options.Host, _options.Port, lost.Reason, lost.Exception);
        Raise(Disconnected, lost, nameof(Disconnected));
    }

    /// <summary>TCP (+TLS), CONNECT, CONNACK: a connection the broker accepted, not yet in use.</summary>
    private async Task<MqttConnection> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        var endpoint = $"{_options.Host}:{_options.Port}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(_options.Host, _options.Port, timeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (_options.Tls is { } tls)
                stream = await TlsConnector.AuthenticateAsync(stream, _options, tls, timeout.Token).ConfigureAwait(false);
            await stream.WriteAsync(PacketEncoder.Connect(_options), timeout.Token).ConfigureAwait(false);
            var reader = new PacketReader(stream, _options.MaximumPacketSize);
            var raw = await reader.ReadAsync(timeout.Token).ConfigureAwait(false)
                ?? throw new MqttConnectException($"MQTT broker {endpoint} closed the connection before sending CONNACK", null, isTransient: true);
            if (raw.Type != PacketType.ConnAck)
                throw new MqttProtocolException($"Expected CONNACK from MQTT broker {endpoint} but got {raw.Type}");
            var ack = PacketDecoder.ConnAck(raw.Body.Span, _options.ProtocolVersion);
            if (ack.ReasonCode != 0)
            {
                var text = ReasonCodes.DescribeConnAck(ack.ReasonCode, _options.ProtocolVersion);
                var reason = ack.Properties?.ReasonString is { } rs ? $" ({rs})" : "";
                throw new MqttConnectException(
                    $"MQTT broker {endpoint} refused the connection: {text}{reason} (CONNACK {ReasonCodes.Format(ack.ReasonCode, _options.ProtocolVersion)})",
                    ack.ReasonCode, !ReasonCodes.IsPermanentConnectRefusal(ack.ReasonCode, _options.ProtocolVersion));
            }
            var maxSize = _options.MaximumPacketSize;
            var maxSource = "Mqtt:MaximumPacketSize";
            if (ack.Properties?.MaximumPacketSize is { } brokerMax && brokerMax < (uint)maxSize)
            {
                maxSize = (int)brokerMax;
                maxSource = "the broker's Maximum Packet Size";
            }
            return new MqttConnection(stream, reader, ack.SessionPresent, maxSize, maxSource)
            {
                ReceiveMaximum = ack.Properties?.ReceiveMaximum ?? ushort.MaxValue,
            };
        }
        catch (Exception ex)
        {
            if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
            else socket.Dispose();
            if (ex is MqttException) throw;
            if (ex is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                throw new MqttConnectException($"Connecting to MQTT broker {endpoint} timed out after {_options.ConnectTimeout.TotalSeconds:0.#} s", null, isTransient: true, ex);
            if (ex is SocketException or IOException)
                throw new MqttConnectException($"Could not connect to MQTT broker {endpoint}: {ex.Message}", null, isTransient: true, ex);
            throw;
        }
    }

    /// <summary>Puts an accepted connection in use: resend what is unacknowledged, start its loops, re-subscribe if needed.</summary>
    private void Establish(MqttConnection connection, bool isReconnect)
    {
        _ = RunWriterAsync(connection);
        List<PendingPublish> pending = [];
        List<PendingPublish> finished = [];
        lock (_gate)
        {
            for (var i = 1; i < _outgoing.Length; i++)
                if (_outgoing[i] is { } p) pending.Add(p);
            pending.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
            foreach (var p in pending)
            {
                if (p.Released && !connection.SessionPresent)
                {
                    // The broker took the QoS 2 message (PUBREC) and has since lost the session: it is delivered.
                    Forget(p.PacketId);
                    finished.Add(p);
                }
                else
                {
                    SendPendingLocked(connection, p, dup: p.Sent && connection.SessionPresent);
                }
            }
            _current = connection;
            _inFlightLimit = Math.Min(_options.MaxInFlightPublishes, connection.ReceiveMaximum);
            DrainUnsentLocked();
            _connectedSignal.TrySetResult();
        }
        foreach (var p in finished)
        {
            Interlocked.Increment(ref _messagesPublished);
            p.TrySetResult(new MqttPublishResult(0));
        }
        if (pending.Count > 0) LogMessages.Resent(_logger, pending.Count - finished.Count, connection.SessionPresent);
        _ = RunReaderAsync(connection);
        _ = RunKeepAliveAsync(connection);
        LogMessages.Connected(_logger, _options.Host, _options.Port, _options.ClientId, _options.ProtocolVersion, connection.SessionPresent);
        if (!connection.SessionPresent && isReconnect) _ = ResubscribeAsync(connection);
        Raise(Connected, new MqttConnectedEventArgs(connection.SessionPresent, isReconnect), nameof(Connected));
    }

    /// <summary>Writes a pending publish (or its PUBREL) to <paramref name="connection"/>; caller holds _gate.</summary>
    private void SendPendingLocked(MqttConnection connection, PendingPublish p, bool dup)
    {
        if (p.Released)
        {
            Span<byte> rel = stackalloc byte[PacketEncoder.AckSize];
            PacketEncoder.WriteAck(rel, PacketType.PubRel, p.PacketId);
            connection.Queue.TryEnqueue(rel);
            return;
        }
        var size = PacketEncoder.GetPublishSize(p.TopicSize, p.Payload.Length, p.Qos, _options.ProtocolVersion, null);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        PacketEncoder.WritePublish(buffer, p.Topic, p.TopicSize, p.Payload.Span, p.Qos, p.Retain, dup, p.PacketId, _options.ProtocolVersion, null);
        if (connection.Queue.TryEnqueue(buffer.AsSpan(0, size))) p.Sent = true;
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private async Task RunWriterAsync(MqttConnection connection)
    {
        try
        {
            await connection.Queue.RunWriterAsync(connection.Stream, connection.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (!connection.IsBroken) connection.Break("writing to the broker failed: " + ex.Message, null, ex);
        }
    }

    private async Task ResubscribeAsync(MqttConnection connection)
    {
        KeyValuePair<string, MqttQualityOfService>[] filters;
        lock (_gate) filters = [.. _subscriptions];
        if (filters.Length == 0) return;
        try
        {
            var ack = await SendSubscribeAsync(connection, filters, _disposeCts.Token).ConfigureAwait(false);
            for (var i = 0; i < filters.Length; i++)
            {
                var code = i < ack.ReasonCodes.Length ? ack.ReasonCodes[i] : (byte)0x80;
                if (code >= 0x80)
                    throw new MqttSubscribeException(
                        $"MQTT broker refused the re-subscription to '{filters[i].Key}': {ReasonCodes.Describe(code)} (SUBACK 0x{code:X2})", filters[i].Key, code);
            }
            LogMessages.Resubscribed(_logger, filters.Length);
        }
        catch (Exception ex) when (!_disposeCts.IsCancellationRequested)
        {
            LogMessages.ResubscribeFailed(_logger, ex);
            if (ex is not MqttSubscribeException) connection.Break("re-subscribing failed: " + ex.Message, null, ex);
        }
        catch (Exception)
        {
            // Disposed meanwhile.
        }
    }
}
