using System.Buffers.Binary;
using System.Security.Cryptography;
using IotTelemetry.OpcUa.Internal.Encoding;
using IotTelemetry.OpcUa.Internal.Services;

namespace IotTelemetry.OpcUa.Internal.Transport;

/// <summary>Reading chunks, checking and removing their security, joining them and handing out responses.</summary>
internal sealed partial class SecureChannel
{
    private readonly Dictionary<uint, MemoryStream> _partial = [];
    private uint _lastReceivedSequence;

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var (type, chunkType, chunk) = await _connection.ReadChunkAsync(cancellationToken).ConfigureAwait(false);
                if (type == MessageTypes.Error) throw ErrorMessage.Read(new UaReader(chunk[8..]), EndpointUrl, "the session");
                var (requestId, payload) = type switch
                {
                    MessageTypes.OpenChannel => OpenAsymmetric(chunk),
                    MessageTypes.Message or MessageTypes.CloseChannel => OpenSymmetric(chunk),
                    _ => throw new OpcUaException(EndpointUrl, StatusCodes.BadTcpMessageTypeInvalid,
                        $"Expected MSG, OPN, CLO or ERR but got {MessageTypes.Name(type)}", isTransient: true),
                };
                CheckSequenceNumber(type, chunk.Span, payload);
                Deliver(chunkType, requestId, payload);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ObjectDisposedException)
        {
            if (!cancellationToken.IsCancellationRequested)
                Break(new OpcUaException(EndpointUrl, StatusCodes.BadConnectionClosed, "the server closed the connection", isTransient: true, e));
        }
        catch (Exception e)
        {
            Break(e);
        }
    }

    /// <summary>
    /// Part 6, 6.7.2.4: each chunk's sequence number is one more than the previous one's (after a wrap, a number below 1024).
    /// </summary>
    private void CheckSequenceNumber(uint type, ReadOnlySpan<byte> chunk, ReadOnlyMemory<byte> payload)
    {
        var sequence = type switch
        {
            MessageTypes.OpenChannel when !_settings.Policy.IsNone => _openSequence, // read from the decrypted region
            MessageTypes.OpenChannel => BinaryPrimitives.ReadUInt32LittleEndian(chunk[(chunk.Length - payload.Length - SequenceHeaderLength)..]),
            _ => BinaryPrimitives.ReadUInt32LittleEndian(chunk[SymmetricHeaderLength..]),
        };
        var expected = _lastReceivedSequence + 1;
        var ok = _lastReceivedSequence == 0 || sequence == expected || (sequence < 1024 && _lastReceivedSequence > uint.MaxValue - 1024 * 1024);
        if (!ok)
            throw new OpcUaException(EndpointUrl, StatusCodes.BadSequenceNumberInvalid,
                $"Expected chunk sequence number {expected} but got {sequence}", isTransient: true);
        _lastReceivedSequence = sequence;
    }

    private uint _openSequence;

    private void Deliver(byte chunkType, uint requestId, ReadOnlyMemory<byte> payload)
    {
        switch (chunkType)
        {
            case MessageTypes.Intermediate:
                Interlocked.Increment(ref _intermediateChunks);
                if (!_partial.TryGetValue(requestId, out var parts)) _partial[requestId] = parts = new MemoryStream();
                parts.Write(payload.Span);
                if (_connection.Limits.MaxMessageSize != 0 && parts.Length > TransportLimits.Client.MaxMessageSize)
                    throw new OpcUaException(EndpointUrl, StatusCodes.BadResponseTooLarge,
                        $"Expected a response of at most {TransportLimits.Client.MaxMessageSize} bytes but got more", isTransient: true);
                return;
            case MessageTypes.Abort:
            {
                _partial.Remove(requestId);
                var r = new UaReader(payload);
                var code = r.ReadStatusCode();
                var reason = r.ReadString();
                if (_pending.TryGetValue(requestId, out var aborted))
                    aborted.TrySetException(new OpcUaException(EndpointUrl, code.Code, $"the server aborted the response: {code} {reason}", true));
                return;
            }
            case MessageTypes.Final:
                break;
            default:
                throw new OpcUaException(EndpointUrl, StatusCodes.BadTcpMessageTypeInvalid,
                    $"Expected chunk type F, C or A but got 0x{chunkType:X2}", isTransient: true);
        }
        if (_partial.Remove(requestId, out var earlier))
        {
            earlier.Write(payload.Span);
            payload = earlier.ToArray();
        }
        if (!_pending.TryGetValue(requestId, out var pending)) return; // timed out or cancelled meanwhile
        try
        {
            var r = new UaReader(payload, TypeTable.Decoders);
            var typeId = r.ReadNodeId();
            if (typeId.NamespaceIndex != 0 || typeId.IdType != IdType.Numeric || !TypeTable.Decoders.TryGetValue(typeId.Numeric, out var decode))
                throw new UaDecodingException($"Expected a known response type but got {typeId}");
            var response = (IUaResponse)decode(r);
            if (response is ServiceFault || response.Header.ServiceResult.IsBad)
                pending.TrySetException(new OpcUaException(EndpointUrl, response.Header.ServiceResult.Code,
                    $"the request failed with {response.Header.ServiceResult}", IsTransientServiceResult(response.Header.ServiceResult.Code)));
            else
                pending.TrySetResult(response);
        }
        catch (UaDecodingException e)
        {
            pending.TrySetException(new OpcUaException(EndpointUrl, StatusCodes.BadDecodingError, e.Message, isTransient: true, e));
        }
    }

    internal static bool IsTransientServiceResult(uint code) => code is StatusCodes.BadTimeout or StatusCodes.BadTooManyPublishRequests
        or StatusCodes.BadSessionIdInvalid or StatusCodes.BadSessionClosed or StatusCodes.BadSecureChannelIdInvalid
        or StatusCodes.BadServerHalted or StatusCodes.BadServerNotConnected or StatusCodes.BadTcpServerTooBusy
        or StatusCodes.BadNoSubscription or StatusCodes.BadShutdown or StatusCodes.BadCommunicationError or StatusCodes.BadConnectionClosed;

    private (uint RequestId, ReadOnlyMemory<byte> Payload) OpenSymmetric(Memory<byte> chunk)
    {
        var span = chunk.Span;
        if (span.Length < SymmetricHeaderLength + SequenceHeaderLength)
            throw new OpcUaException(EndpointUrl, StatusCodes.BadDecodingError,
                $"Expected at least {SymmetricHeaderLength + SequenceHeaderLength} bytes in a MSG chunk but got {span.Length}", true);
        var tokenId = BinaryPrimitives.ReadUInt32LittleEndian(span[12..]);
        var end = span.Length;
        if (_settings.Mode != OpcUaSecurityMode.None && !_settings.Policy.IsNone)
        {
            if (!_receiveKeys.TryGetValue(tokenId, out var keys))
                throw new OpcUaException(EndpointUrl, StatusCodes.BadSecureChannelTokenUnknown,
                    $"Expected a chunk secured with a known token but got token {tokenId}", isTransient: true);
            if (_settings.Mode == OpcUaSecurityMode.SignAndEncrypt)
            {
                var region = span[SymmetricHeaderLength..];
                if (region.Length % _settings.Policy.SymmetricBlockSize != 0)
                    throw new OpcUaException(EndpointUrl, StatusCodes.BadSecurityChecksFailed,
                        $"Expected an encrypted region in whole AES blocks but got {region.Length} bytes", isTransient: true);
                using var aes = Aes.Create();
                aes.Key = keys.EncryptingKey;
                aes.DecryptCbc(region, keys.InitializationVector, PaddingMode.None).CopyTo(region);
            }
            var signatureLength = _settings.Policy.SymmetricSignatureLength;
            end -= signatureLength;
            var expected = _settings.Policy.SymmetricSign(keys.SigningKey, span[..end]);
            if (!CryptographicOperations.FixedTimeEquals(expected, span.Slice(end, signatureLength)))
                throw new OpcUaException(EndpointUrl, StatusCodes.BadSecurityChecksFailed,
                    "Expected a valid HMAC-SHA256 signature on a MSG chunk but it did not match", isTransient: true);
            if (_settings.Mode == OpcUaSecurityMode.SignAndEncrypt) end -= span[end - 1] + 1;
        }
        var requestId = BinaryPrimitives.ReadUInt32LittleEndian(span[(SymmetricHeaderLength + 4)..]);
        var start = SymmetricHeaderLength + SequenceHeaderLength;
        if (end < start)
            throw new OpcUaException(EndpointUrl, StatusCodes.BadDecodingError, $"Expected padding within the chunk but it ends before the body", true);
        return (requestId, chunk[start..end]);
    }

    private (uint RequestId, ReadOnlyMemory<byte> Payload) OpenAsymmetric(Memory<byte> chunk)
    {
        var r = new UaReader(chunk[8..]);
        r.ReadUInt32(); // secure channel id
        var policyUri = r.ReadString();
        var senderCertificate = r.ReadByteString();
        r.ReadByteString(); // receiver thumbprint
        var headerLength = 8 + r.Position;
        if (policyUri != _settings.Policy.Uri)
            throw new OpcUaException(EndpointUrl, StatusCodes.BadSecurityPolicyRejected,
                $"Expected an OpenSecureChannel response with policy {_settings.Policy.Uri} but got {policyUri}", isTransient: false);
        if (_settings.Policy.IsNone)
        {
            var span = chunk.Span;
            var id = BinaryPrimitives.ReadUInt32LittleEndian(span[(headerLength + 4)..]);
            return (id, chunk[(headerLength + SequenceHeaderLength)..]);
        }
        if (senderCertificate is null || !senderCertificate.AsSpan().SequenceEqual(_settings.ServerCertificate))
            throw new OpcUaException(EndpointUrl, StatusCodes.BadCertificateInvalid,
                "Expected the OpenSecureChannel response to carry the endpoint's server certificate but it carried another", false);
        var plain = _settings.Policy.AsymmetricDecrypt(_clientKey!, chunk.Span[headerLength..]);
        var signatureLength = _serverKey!.KeySize / 8;
        var signedLength = plain.Length - signatureLength;
        var signed = new byte[headerLength + signedLength];
        chunk.Span[..headerLength].CopyTo(signed);
        plain.AsSpan(0, signedLength).CopyTo(signed.AsSpan(headerLength));
        if (!_settings.Policy.AsymmetricVerify(_serverKey, signed, plain.AsSpan(signedLength)))
            throw new OpcUaException(EndpointUrl, StatusCodes.BadSecurityChecksFailed,
                "Expected a valid server signature on the OpenSecureChannel response but it did not verify", isTransient: false);
        var extra = _clientKey!.KeySize / 8 > 256 ? 1 : 0;
        var padding = plain[signedLength - 1 - extra] | (extra == 1 ? plain[signedLength - 1] << 8 : 0);
        var bodyEnd = signedLength - padding - 1 - extra;
        _openSequence = BinaryPrimitives.ReadUInt32LittleEndian(plain);
        var requestId = BinaryPrimitives.ReadUInt32LittleEndian(plain.AsSpan(4));
        return (requestId, plain.AsMemory(SequenceHeaderLength, bodyEnd - SequenceHeaderLength));
    }
}
