using System.Net;
using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using IotTelemetry.Anomaly;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace IotTelemetry.Cloud.Notifications;

/// <summary>
/// Delivers alert events to one webhook target: its own consumer group on the <c>alerts</c> topic is the
/// queue, so detection never waits for it and nothing is forgotten across restarts. Each event is POSTed as
/// the alert JSON, retried with backoff until the target takes it (2xx), and only then is its offset committed.
/// A 4xx other than 408/429 means the target will never take it: logged, counted, skipped.
/// </summary>
public sealed class WebhookService : BackgroundService
{
    private readonly CloudTopicOptions _topics;
    private readonly NotificationOptions _notifications;
    private readonly KafkaCluster _cluster;
    private readonly WebhookTarget _target;
    private readonly WebhookStatus _status;
    private readonly ILogger _log;
    private readonly HashSet<AlertEventKind> _kinds;
    private readonly TaggedCounter _delivered;
    private readonly TaggedCounter _failures;
    private readonly TaggedCounter _dropped;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<(bool Ok, int Status, string Reason)> _delivery;

    public WebhookService(IOptions<CloudTopicOptions> topics, IOptions<NotificationOptions> notifications, KafkaCluster cluster, WebhookTarget target, WebhookStatusBoard board, Instruments registry,
        ILogger<WebhookService> log)
    {
        _topics = topics.Value;
        _notifications = notifications.Value;
        _cluster = cluster;
        _target = target;
        _status = board.For(target.Name);
        _log = log;
        _kinds = target.Kinds.Count == 0
            ? [AlertEventKind.Raised, AlertEventKind.Cleared]
            : [.. target.Kinds.Select(k => Enum.Parse<AlertEventKind>(k, ignoreCase: true))];
        _delivered = registry.Counter("iott_cloud_webhook_delivered_total", "Alert events a webhook target accepted", ("target", target.Name));
        _failures = registry.Counter("iott_cloud_webhook_failures_total", "Webhook delivery attempts that failed (retried)", ("target", target.Name));
        _dropped = registry.Counter("iott_cloud_webhook_dropped_total", "Alert events a webhook target refused for good (4xx)", ("target", target.Name));
        _http = new HttpClient { Timeout = _notifications.RequestTimeout };
        _delivery = DeliveryPipeline();
    }

    public string GroupId => "iott-webhook-" + _target.Name;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        return RestartingLoop.Start(Run, ex => ex is KafkaException or InvalidOperationException,
            (ex, pause) => NotificationLog.LoopFailed(_log, _target.Name, ex.Message, pause.TotalSeconds), stoppingToken);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private void Run(CancellationToken ct)
    {
        var config = _cluster.ConsumerConfig(GroupId, "iott-webhook-" + _target.Name);
        config.FetchWaitMaxMs = 50;
        config.AutoOffsetReset = _target.StartAt.Equals("Earliest", StringComparison.OrdinalIgnoreCase) ? AutoOffsetReset.Earliest : AutoOffsetReset.Latest;
        new ConsumerSession
        {
            Topic = _topics.Alerts,
            Config = config,
            Client = "webhook consumer " + _target.Name,
            PollTimeout = TimeSpan.FromMilliseconds(200),
            Subscribed = _ => NotificationLog.Started(_log, _target.Name, string.Join(",", _kinds), _topics.Alerts, _target.Url, GroupId),
            Record = (consumer, cr) =>
            {
                AlertEvent? e = null;
                try { if (cr.Message.Value is { } value) e = AlertJson.Deserialize(value.AsSpan()); }
                catch (System.Text.Json.JsonException) { /* not an alert event: nothing to send */ }
                if (e is not null && _kinds.Contains(e.Kind)) Deliver(e, cr.Message.Value!, ct);
                // Delivered (or refused for good, or not for this target): the event is done with.
                consumer.Commit([new TopicPartitionOffset(cr.TopicPartition, cr.Offset + 1)]);
            },
        }.Run(_log, ct);
    }

    private void Deliver(AlertEvent e, byte[] body, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(AlertIdKey, e.AlertId);
        try
        {
            var (ok, status, reason) = _delivery.Execute(c => Post(e, body, c.CancellationToken), context);
            if (ok)
            {
                _delivered.Increment();
                _status.Delivered();
                NotificationLog.Delivered(_log, _target.Name, e.Kind.ToString(), e.AlertId);
                return;
            }
            _dropped.Increment();
            _status.Failed($"{status} {reason}");
            NotificationLog.Refused(_log, _target.Name, e.AlertId, status, reason);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>A 4xx other than 408 (timeout) and 429 (too many requests): the target will never take this event.</summary>
    private static bool RefusedForGood(int status) => status is >= 400 and < 500 and not 408 and not 429;

    private static readonly ResiliencePropertyKey<string> AlertIdKey = new("iott.alert-id");

    /// <summary>
    /// Every POST of an event until the target takes it (2xx) or refuses it for good, the pause between attempts from
    /// 200 ms doubling to Notifications:MaxBackoff; only the host's stopping ends it otherwise.
    /// </summary>
    private ResiliencePipeline<(bool Ok, int Status, string Reason)> DeliveryPipeline() => Backoff.Doubling<(bool Ok, int Status, string Reason)>(
        TimeSpan.FromMilliseconds(200), _notifications.MaxBackoff,
        result => !result.Ok && !RefusedForGood(result.Status),
        args =>
        {
            var reason = args.Outcome.Result.Reason;
            _failures.Increment();
            _status.Failed(reason);
            NotificationLog.Failed(_log, _target.Name, args.Context.Properties.GetValue(AlertIdKey, ""), reason, args.AttemptNumber + 1,
                args.RetryDelay.TotalSeconds);
        });

    private (bool Ok, int Status, string Reason) Post(AlertEvent e, byte[] body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Iott-Event", e.Kind.ToString().ToLowerInvariant());
        request.Headers.Add("X-Iott-Alert-Id", e.AlertId);
        if (_target.ResolvedSecret is { } secret)
            request.Headers.Add("X-Iott-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        try
        {
            using var response = _http.Send(request, ct);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (true, code, "") : (false, code, $"expected 2xx, got {code} {response.ReasonPhrase}");
        }
        catch (HttpRequestException ex)
        {
            return (false, 0, ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : ex.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, (int)HttpStatusCode.RequestTimeout, $"no answer within {_http.Timeout.TotalSeconds} s");
        }
    }
}
