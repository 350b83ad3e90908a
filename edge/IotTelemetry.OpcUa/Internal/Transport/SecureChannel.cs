using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IotTelemetry.OpcUa.Internal.Encoding;
using IotTelemetry.OpcUa.Internal.Security;
using IotTelemetry.OpcUa.Internal.Services;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.OpcUa.Internal.Transport;

/// <summary>
/// A UA Secure Conversation channel over one TCP connection (Part 6, 6.7): opens with OpenSecureChannel, sends requests
/// as signed/encrypted chunks, matches responses by request id, renews its token at 75% of its lifetime, and fails every
/// pending request with one exception when the connection breaks (<see cref="Break"/>).
/// </summary>
internal sealed partial class SecureChannel : IAsyncDisposable
{
    private readonly ChannelSettings _settings;
    private readonly ILogger _logger;
    private readonly TcpConnection _connection;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<IUaResponse>> _pending = new();
    private readonly CancellationTokenSource _life = new();
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RSA? _clientKey;
    private readonly RSA? _serverKey;
    private readonly byte[]? _clientCertificate;
    private readonly byte[]? _serverThumbprint;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _renewLoop = Task.CompletedTask;
    private uint _requestId;
    private uint _sequenceNumber;
    private uint _channelId;
    private ChannelSecurityToken? _token;
    private DateTime _tokenReceivedAt;
    private ChannelKeys? _sendKeys;
    private readonly ConcurrentDictionary<uint, ChannelKeys> _receiveKeys = new();
    private int _renewals;

    private SecureChannel(ChannelSettings settings, TcpConnection connection, ILogger logger)
    {
        _settings = settings;
        _connection = connection;
        _logger = logger;
        if (!settings.Policy.IsNone)
        {
            _clientKey = settings.ClientCertificate?.GetRSAPrivateKey()
                ?? throw new InvalidOperationException("Expected a client certificate with an RSA private key for a secure channel");
            using var server = X509CertificateLoader.LoadCertificate(
                settings.ServerCertificate ?? throw new InvalidOperationException("Expected the server certificate for a secure channel"));
            _serverKey = server.GetRSAPublicKey()
                ?? throw new InvalidOperationException("Expected an RSA key in the server certificate");
            _clientCertificate = settings.ClientCertificate.RawData;
            _serverThumbprint = SHA1.HashData(settings.ServerCertificate);
        }
    }

    public string EndpointUrl => _settings.EndpointUrl;
    public TransportLimits Limits => _connection.Limits;

    /// <summary>Completes when the channel is closed or broken, with the exception that broke it (null on a clean close).</summary>
    public Task<Exception?> Closed => _closed.Task;

    public int TokenRenewals => Volatile.Read(ref _renewals);

    /// <summary>Chunks received that were not the last of their message (diagnostics and tests).</summary>
    public long IntermediateChunksReceived => Interlocked.Read(ref _intermediateChunks);

    private long _intermediateChunks;
    public ChannelSecurityToken? Token => _token;

    public static async Task<SecureChannel> OpenAsync(ChannelSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        var address = EndpointAddress.Parse(settings.EndpointUrl);
        TcpConnection connection;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.RequestTimeout);
        try
        {
            connection = await TcpConnection.ConnectAsync(address, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
        {
            throw new OpcUaException(settings.EndpointUrl, StatusCodes.BadNotConnected, $"cannot connect: {e.Message}", isTransient: true, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OpcUaException(settings.EndpointUrl, StatusCodes.BadTimeout,
                $"no answer to connect and Hello within {settings.RequestTimeout.TotalSeconds:0.#} s", isTransient: true, e);
        }
        var channel = new SecureChannel(settings, connection, logger);
        try
        {
            channel._receiveLoop = Task.Run(() => channel.ReceiveLoopAsync(channel._life.Token), CancellationToken.None);
            await channel.OpenOrRenewAsync(renew: false, cancellationToken).ConfigureAwait(false);
            channel._renewLoop = Task.Run(() => channel.RenewLoopAsync(channel._life.Token), CancellationToken.None);
            return channel;
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task OpenOrRenewAsync(bool renew, CancellationToken cancellationToken)
    {
        var policy = _settings.Policy;
        var clientNonce = policy.IsNone ? null : RandomNumberGenerator.GetBytes(policy.NonceLength);
        var request = new OpenSecureChannelRequest(renew ? 1u : 0u, (uint)_settings.Mode, clientNonce ?? [], _settings.RequestedLifetimeMs);
        var response = (OpenSecureChannelResponse)await SendCoreAsync(request, NodeId.Null, _settings.RequestTimeout, asymmetric: true,
            cancellationToken).ConfigureAwait(false);
        if (!policy.IsNone)
        {
            if (response.ServerNonce is null || response.ServerNonce.Length != policy.NonceLength)
                throw Break(new OpcUaException(EndpointUrl, StatusCodes.BadNonceInvalid,
                    $"Expected a server nonce of {policy.NonceLength} bytes but got {response.ServerNonce?.Length ?? 0}", isTransient: true));
            _receiveKeys[response.Token.TokenId] = policy.DeriveKeys(clientNonce!, response.ServerNonce);
            var sendKeys = policy.DeriveKeys(response.ServerNonce, clientNonce!);
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                _sendKeys = sendKeys;
                SetToken(response.Token);
            }
            finally
            {
                _sendLock.Release();
            }
            foreach (var old in _receiveKeys.Keys)
                if (old + 1 < response.Token.TokenId) _receiveKeys.TryRemove(old, out _);
        }
        else
        {
            SetToken(response.Token);
        }
        if (renew)
        {
            Interlocked.Increment(ref _renewals);
            LogMessages.TokenRenewed(_logger, EndpointUrl, response.Token.TokenId, response.Token.RevisedLifetimeMs);
        }
    }

    private void SetToken(ChannelSecurityToken token)
    {
        _channelId = token.ChannelId;
        _token = token;
        _tokenReceivedAt = DateTime.UtcNow;
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var lifetime = TimeSpan.FromMilliseconds(Math.Max(_token!.RevisedLifetimeMs, 1000u));
                var due = _tokenReceivedAt + lifetime * 0.75 - DateTime.UtcNow;
                if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                await OpenOrRenewAsync(renew: true, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Break(e);
        }
    }

    /// <summary>Sends a request and waits for its response; a ServiceFault or a bad service result becomes an OpcUaException.</summary>
    public Task<IUaResponse> SendAsync(IUaRequest request, NodeId authenticationToken, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendCoreAsync(request, authenticationToken, timeout, asymmetric: false, cancellationToken);

    private async Task<IUaResponse> SendCoreAsync(IUaRequest request, NodeId authenticationToken, TimeSpan timeout, bool asymmetric,
        CancellationToken cancellationToken)
    {
        if (_closed.Task.IsCompleted)
            throw new OpcUaException(EndpointUrl, StatusCodes.BadSecureChannelClosed, "the secure channel is closed", isTransient: true,
                _closed.Task.Result);
        var requestId = Interlocked.Increment(ref _requestId);
        var pending = new TaskCompletionSource<IUaResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = pending;
        try
        {
            using (var w = new UaWriter(1024))
            {
                w.WriteNodeId(new NodeId(0, request.BinaryEncodingId));
                var hint = timeout == Timeout.InfiniteTimeSpan ? 0u : (uint)Math.Min(timeout.TotalMilliseconds, uint.MaxValue);
                new RequestHeader(authenticationToken, requestId, hint).Encode(w);
                request.EncodeBody(w);
                await SendMessageAsync(asymmetric ? MessageTypes.OpenChannel : MessageTypes.Message, requestId, w.WrittenMemory,
                    asymmetric, cancellationToken).ConfigureAwait(false);
            }
            using var timer = new CancellationTokenSource();
            if (timeout != Timeout.InfiniteTimeSpan) timer.CancelAfter(timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
            try
            {
                return await pending.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new OpcUaException(EndpointUrl, StatusCodes.BadTimeout,
                    $"no response to {request.GetType().Name.Replace("Request", "")} within {timeout.TotalSeconds:0.#} s", isTransient: true);
            }
        }
        finally
        {
            _pending.TryRemove(requestId, out _);
        }
    }

    /// <summary>The one place that breaks the channel: logs once, fails every pending request, closes the socket.</summary>
    public Exception Break(Exception reason)
    {
        if (_closed.TrySetResult(reason))
        {
            LogMessages.ChannelBroken(_logger, EndpointUrl, reason.Message);
            foreach (var (_, pending) in _pending)
                pending.TrySetException(reason is OpcUaException
                    ? reason
                    : new OpcUaException(EndpointUrl, StatusCodes.BadConnectionClosed, $"connection lost: {reason.Message}", isTransient: true, reason));
            _life.Cancel();
            _ = _connection.DisposeAsync();
        }
        return reason;
    }

    /// <summary>Sends CloseSecureChannel (no response is expected) and closes the socket.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (_closed.Task.IsCompleted) return;
        try
        {
            var requestId = Interlocked.Increment(ref _requestId);
            using var w = new UaWriter();
            var request = new CloseSecureChannelRequest();
            w.WriteNodeId(new NodeId(0, request.BinaryEncodingId));
            new RequestHeader(NodeId.Null, requestId, 0).Encode(w);
            await SendMessageAsync(MessageTypes.CloseChannel, requestId, w.WrittenMemory, false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or OpcUaException or ObjectDisposedException)
        {
            // closing anyway
        }
        if (_closed.TrySetResult(null))
        {
            foreach (var (_, pending) in _pending)
                pending.TrySetException(new OpcUaException(EndpointUrl, StatusCodes.BadSecureChannelClosed, "the secure channel was closed", false));
        }
        _life.Cancel();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _closed.TrySetResult(null);
        foreach (var (_, pending) in _pending)
            pending.TrySetException(new OpcUaException(EndpointUrl, StatusCodes.BadSecureChannelClosed, "the secure channel was closed", false));
        _life.Cancel();
        await _connection.DisposeAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_receiveLoop, _renewLoop).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // the loops report through Break; Dispose never throws
        }
        _clientKey?.Dispose();
        _serverKey?.Dispose();
        _life.Dispose();
    }
}
