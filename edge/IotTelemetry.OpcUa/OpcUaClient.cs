using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using IotTelemetry.OpcUa.Internal.Encoding;
using IotTelemetry.OpcUa.Internal.Security;
using IotTelemetry.OpcUa.Internal.Services;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IotTelemetry.OpcUa;

/// <summary>
/// A managed OPC UA client that watches a list of nodes on one server and yields their data changes through
/// <see cref="DataChanges"/> (a bounded channel; when it is full the publish loop waits). It keeps itself connected:
/// after a dropped connection or a server restart it reconnects with backoff and re-creates the session and the
/// subscription. Instances are independent; an agent may run several.
/// </summary>
public sealed class OpcUaClient : IAsyncDisposable
{
    private readonly OpcUaClientOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<OpcUaDataChange> _changes;
    private readonly ClientCounters _counters = new();
    private readonly CertificateTrust _trust;
    private readonly Lazy<X509Certificate2> _certificate;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private UaSession? _session;
    private long _lastDataTimestamp = Stopwatch.GetTimestamp();
    private int _started;

    public OpcUaClient(OpcUaClientOptions options, ILogger? logger = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? NullLogger.Instance;
        _changes = Channel.CreateBounded<OpcUaDataChange>(new BoundedChannelOptions(Math.Max(1, options.ChannelCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
        _trust = new CertificateTrust(options.TrustListDirectory, options.AutoAcceptServerCertificate, CertificateChecks.From(options), _logger);
        _certificate = new Lazy<X509Certificate2>(() =>
            ApplicationCertificate.LoadOrCreate(options.ClientCertificatePath, options.ApplicationUri, options.ApplicationName, _logger));
    }

    /// <summary>Data changes of every watched node, in the order received. Completed after <see cref="StopAsync"/>.</summary>
    public ChannelReader<OpcUaDataChange> DataChanges => _changes.Reader;

    public string EndpointUrl => _options.EndpointUrl;

    public bool IsConnected => _session is { } s && !s.Channel.Closed.IsCompleted;

    public OpcUaClientStatistics Statistics => new(
        IsConnected,
        Interlocked.Read(ref _counters.DataChanges),
        Interlocked.Read(ref _counters.PublishResponses),
        Interlocked.Read(ref _counters.KeepAlives),
        Volatile.Read(ref _counters.Reconnects),
        TimeSpan.FromTicks(Interlocked.Read(ref _counters.LastGapTicks)),
        Interlocked.Read(ref _counters.MissingSequenceNumbers),
        Interlocked.Read(ref _counters.Republished),
        Interlocked.Read(ref _counters.Dropped),
        Volatile.Read(ref _counters.TokenRenewalsOfClosedChannels) + (_session?.Channel.TokenRenewals ?? 0));

    /// <summary>Test hook: drop publish responses for which this returns true, as if lost on the way.</summary>
    internal Func<PublishResponse, bool>? DropPublishResponse { get; set; }

    /// <summary>Test hook: the channel of the current session.</summary>
    internal Internal.Transport.SecureChannel? CurrentChannel => _session?.Channel;

    /// <summary>
    /// Validates the options and connects once. Throws <see cref="OpcUaException"/> when the server refuses the
    /// configuration (wrong password, security it does not offer, untrusted certificate): those do not heal by waiting.
    /// When the server is merely unreachable it logs, returns, and keeps trying in the background.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) throw new InvalidOperationException("The client was already started");
        _options.Validate();
        Subscriber? subscriber = null;
        try
        {
            subscriber = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OpcUaException e) when (e.IsTransient)
        {
            LogMessages.ReconnectFailed(_logger, EndpointUrl, 0, e.Message, (long)_options.ReconnectMinDelay.TotalMilliseconds);
        }
        _loop = Task.Run(() => RunAsync(subscriber, _stop.Token), CancellationToken.None);
    }

    private async Task<Subscriber> ConnectAsync(CancellationToken cancellationToken)
    {
        var session = await Connector.ConnectAsync(_options, () => _certificate.Value, _trust, _logger, cancellationToken).ConfigureAwait(false);
        try
        {
            var subscriber = new Subscriber(session, _options, _counters, EmitAsync, _logger) { DropResponse = DropPublishResponse };
            await subscriber.SetupAsync(cancellationToken).ConfigureAwait(false);
            _session = session;
            LogMessages.Connected(_logger, EndpointUrl, _options.SecurityPolicy.ToString(), _options.SecurityMode.ToString(),
                session.SessionId.ToString(), subscriber.MonitoredItems);
            return subscriber;
        }
        catch
        {
            await CloseAsync(session).ConfigureAwait(false);
            throw;
        }
    }

    private async Task RunAsync(Subscriber? subscriber, CancellationToken cancellationToken)
    {
        var attempt = 0;
        var delay = _options.ReconnectMinDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (subscriber is null)
            {
                try
                {
                    subscriber = await ConnectAsync(cancellationToken).ConfigureAwait(false);
                    var gap = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastDataTimestamp));
                    Interlocked.Exchange(ref _counters.LastGapTicks, gap.Ticks);
                    var count = Interlocked.Increment(ref _counters.Reconnects);
                    LogMessages.Reconnected(_logger, EndpointUrl, (long)gap.TotalMilliseconds, count);
                    attempt = 0;
                    delay = _options.ReconnectMinDelay;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    attempt++;
                    if (e is OpcUaException { IsTransient: false }) LogMessages.Fatal(_logger, EndpointUrl, e.Message);
                    LogMessages.ReconnectFailed(_logger, EndpointUrl, attempt, e.Message, (long)delay.TotalMilliseconds);
                    try
                    {
                        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
                    continue;
                }
            }
            var session = _session!;
            try
            {
                using var broken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var run = subscriber.RunAsync(broken.Token);
                var first = await Task.WhenAny(run, session.Channel.Closed).ConfigureAwait(false);
                broken.Cancel();
                if (first == run) await run.ConfigureAwait(false);
                else if (!cancellationToken.IsCancellationRequested)
                    throw session.Channel.Closed.Result ?? new OpcUaException(EndpointUrl, StatusCodes.BadConnectionClosed, "the connection closed", true);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (!session.Channel.Closed.IsCompleted) LogMessages.ChannelBroken(_logger, EndpointUrl, e.Message); // else Break logged it
            }
            subscriber = null;
            _session = null;
            Interlocked.Add(ref _counters.TokenRenewalsOfClosedChannels, session.Channel.TokenRenewals);
            await CloseAsync(session).ConfigureAwait(false);
        }
    }

    private async ValueTask EmitAsync(OpcUaDataChange change, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastDataTimestamp, Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _counters.DataChanges);
        if (_changes.Writer.TryWrite(change)) return;
        try
        {
            await _changes.Writer.WriteAsync(change, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            Interlocked.Increment(ref _counters.Dropped);
        }
    }

    private static async Task CloseAsync(UaSession session)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (!session.Channel.Closed.IsCompleted) await session.CloseAsync(timeout.Token).ConfigureAwait(false);
            await session.Channel.CloseAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // closing is best effort
        }
        await session.Channel.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops reconnecting, closes the session and the channel, and completes <see cref="DataChanges"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // the loop ends on cancellation; nothing else to report
        }
        if (_session is { } session)
        {
            _session = null;
            await CloseAsync(session).ConfigureAwait(false);
        }
        _changes.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Dispose never throws
        }
        _stop.Dispose();
        if (_certificate.IsValueCreated) _certificate.Value.Dispose();
    }
}
