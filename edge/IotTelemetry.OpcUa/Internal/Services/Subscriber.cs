using System.Collections.Concurrent;
using IotTelemetry.OpcUa.Internal.Encoding;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.OpcUa.Internal.Services;

/// <summary>
/// One subscription with the watched nodes as monitored items (Part 4, 5.12 and 5.13), and its publish loop:
/// a few Publish requests kept outstanding and handled in the order sent, each acknowledging what was delivered,
/// Republish for sequence numbers that went missing, keep-alives checked by a watchdog.
/// </summary>
internal sealed class Subscriber(
    UaSession session,
    OpcUaClientOptions options,
    ClientCounters counters,
    Func<OpcUaDataChange, CancellationToken, ValueTask> emit,
    ILogger logger)
{
    private readonly ConcurrentQueue<SubscriptionAcknowledgement> _acks = new();
    private MonitoredNode[] _nodes = [];
    private uint _subscriptionId;
    private uint _lastSequence;
    private TimeSpan _keepAlivePeriod;

    /// <summary>Test hook: returns true to drop a publish response as if it were lost (not delivered, not acknowledged).</summary>
    public Func<PublishResponse, bool>? DropResponse { get; init; }

    public int MonitoredItems { get; private set; }

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        _nodes = await NodeResolver.ResolveAsync(session, options.Nodes, cancellationToken).ConfigureAwait(false);
        if (options.ReadEngineeringUnits) await NodeResolver.ReadUnitsAsync(session, _nodes, cancellationToken).ConfigureAwait(false);

        var fastest = options.Nodes.Min(n => n.SamplingInterval);
        var interval = (options.PublishingInterval ?? fastest).TotalMilliseconds;
        if (interval < 10) interval = 10;
        var keepAlive = (uint)Math.Clamp(Math.Ceiling(options.KeepAliveInterval.TotalMilliseconds / interval), 1, 10_000);
        var created = await session.CallAsync<CreateSubscriptionResponse>(
            new CreateSubscriptionRequest(interval, Math.Max(keepAlive * 4, 3), keepAlive, 0), "CreateSubscription", cancellationToken).ConfigureAwait(false);
        _subscriptionId = created.SubscriptionId;
        _keepAlivePeriod = TimeSpan.FromMilliseconds(created.RevisedPublishingIntervalMs * created.RevisedMaxKeepAliveCount);

        var requests = new List<(int Index, MonitoredItemCreateRequest Request)>();
        for (var i = 0; i < _nodes.Length; i++)
        {
            var node = _nodes[i];
            if (node.NodeId is null) continue;
            var watch = node.Watch;
            var filter = watch.DeadbandType == OpcUaDeadbandType.None ? null : new DataChangeFilter((uint)watch.DeadbandType, watch.DeadbandValue);
            requests.Add((i, new MonitoredItemCreateRequest(new ReadValueId(node.NodeId, AttributeIds.Value), (uint)i + 1,
                watch.SamplingInterval.TotalMilliseconds, filter, watch.QueueSize)));
        }
        for (var start = 0; start < requests.Count; start += 500)
        {
            var batch = requests.Skip(start).Take(500).ToArray();
            var response = await session.CallAsync<CreateMonitoredItemsResponse>(
                new CreateMonitoredItemsRequest(_subscriptionId, [.. batch.Select(b => b.Request)]), "CreateMonitoredItems", cancellationToken)
                .ConfigureAwait(false);
            for (var j = 0; j < batch.Length; j++)
            {
                var status = j < response.Results.Length ? response.Results[j].Status : new StatusCode(StatusCodes.BadUnexpectedError);
                if (status.IsBad) _nodes[batch[j].Index] = _nodes[batch[j].Index] with { Status = status };
                else MonitoredItems++;
            }
        }
        foreach (var node in _nodes)
        {
            if (!node.Status.IsBad) continue;
            var watch = node.Watch;
            LogMessages.NodeUnavailable(logger, options.EndpointUrl, watch.Node, watch.Site, watch.Asset, watch.Sensor, node.Status.ToString());
            await emit(ValueConverter.Unavailable(node, node.Status), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs until the session fails (then throws) or <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var outstanding = new Queue<Task<PublishResponse>>();
        var target = options.OutstandingPublishRequests;
        for (var i = 0; i < target; i++) outstanding.Enqueue(SendPublish(cancellationToken));
        var watchdog = _keepAlivePeriod * 2 + options.RequestTimeout;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (outstanding.Count == 0) outstanding.Enqueue(SendPublish(cancellationToken));
            var next = outstanding.Dequeue();
            PublishResponse response;
            try
            {
                response = await next.WaitAsync(watchdog, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogMessages.PublishWatchdog(logger, options.EndpointUrl, (long)watchdog.TotalMilliseconds);
                throw new OpcUaException(options.EndpointUrl, StatusCodes.BadTimeout,
                    $"no publish response or keep-alive for {watchdog.TotalSeconds:0.#} s", isTransient: true);
            }
            catch (OpcUaException e) when (e.StatusCode == StatusCodes.BadTimeout && !e.Message.Contains("no response", StringComparison.Ordinal))
            {
                outstanding.Enqueue(SendPublish(cancellationToken)); // the server let the request time out: ask again
                continue;
            }
            catch (OpcUaException e) when (e.StatusCode == StatusCodes.BadTooManyPublishRequests)
            {
                target = Math.Max(1, outstanding.Count);
                continue;
            }
            if (DropResponse?.Invoke(response) != true) await HandleAsync(response, cancellationToken).ConfigureAwait(false);
            while (outstanding.Count < target) outstanding.Enqueue(SendPublish(cancellationToken));
        }
        foreach (var pending in outstanding) _ = pending.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
    }

    private Task<PublishResponse> SendPublish(CancellationToken cancellationToken)
    {
        var acks = new List<SubscriptionAcknowledgement>();
        while (_acks.TryDequeue(out var ack)) acks.Add(ack);
        return session.CallAsync<PublishResponse>(new PublishRequest([.. acks]), "Publish", cancellationToken, Timeout.InfiniteTimeSpan);
    }

    private async Task HandleAsync(PublishResponse response, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref counters.PublishResponses);
        var message = response.Message;
        if (message.NotificationData.Length == 0)
        {
            Interlocked.Increment(ref counters.KeepAlives);
            // A keep-alive carries the sequence number of the next notification: anything before it that we lack is missing.
            if (_lastSequence != 0 && message.SequenceNumber > _lastSequence + 1)
                await FillGapAsync(_lastSequence + 1, message.SequenceNumber - 1, cancellationToken).ConfigureAwait(false);
            return;
        }
        var sequence = message.SequenceNumber;
        if (_lastSequence != 0 && sequence <= _lastSequence)
        {
            _acks.Enqueue(new SubscriptionAcknowledgement(_subscriptionId, sequence)); // already delivered through Republish
            return;
        }
        if (_lastSequence != 0 && sequence > _lastSequence + 1)
            await FillGapAsync(_lastSequence + 1, sequence - 1, cancellationToken).ConfigureAwait(false);
        await DeliverAsync(message, cancellationToken).ConfigureAwait(false);
        _lastSequence = sequence;
        _acks.Enqueue(new SubscriptionAcknowledgement(_subscriptionId, sequence));
    }

    private async Task FillGapAsync(uint from, uint to, CancellationToken cancellationToken)
    {
        var recovered = 0;
        for (var sequence = from; sequence <= to; sequence++)
        {
            try
            {
                var again = await session.CallAsync<RepublishResponse>(new RepublishRequest(_subscriptionId, sequence), "Republish", cancellationToken)
                    .ConfigureAwait(false);
                await DeliverAsync(again.Message, cancellationToken).ConfigureAwait(false);
                _acks.Enqueue(new SubscriptionAcknowledgement(_subscriptionId, sequence));
                Interlocked.Increment(ref counters.Republished);
                recovered++;
            }
            catch (OpcUaException e) when (e.StatusCode == StatusCodes.BadMessageNotAvailable)
            {
                Interlocked.Increment(ref counters.MissingSequenceNumbers);
            }
        }
        _lastSequence = Math.Max(_lastSequence, to);
        LogMessages.SequenceGap(logger, options.EndpointUrl, from, to, $"recovered {recovered} of {to - from + 1}");
    }

    private async Task DeliverAsync(NotificationMessage message, CancellationToken cancellationToken)
    {
        foreach (var data in message.NotificationData)
        {
            switch (data.Body)
            {
                case DataChangeNotification change:
                    foreach (var item in change.MonitoredItems)
                    {
                        var index = (int)item.ClientHandle - 1;
                        if (index < 0 || index >= _nodes.Length) continue;
                        await emit(ValueConverter.ToDataChange(_nodes[index], item.Value), cancellationToken).ConfigureAwait(false);
                    }
                    break;
                case StatusChangeNotification status:
                    LogMessages.SubscriptionStatus(logger, options.EndpointUrl, status.Status.ToString());
                    if (status.Status.IsBad)
                        throw new OpcUaException(options.EndpointUrl, status.Status.Code, $"the subscription ended: {status.Status}", isTransient: true);
                    break;
            }
        }
    }
}
