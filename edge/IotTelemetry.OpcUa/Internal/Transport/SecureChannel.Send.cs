using System.Security.Cryptography;
using IotTelemetry.OpcUa.Internal.Encoding;
using IotTelemetry.OpcUa.Internal.Security;

namespace IotTelemetry.OpcUa.Internal.Transport;

/// <summary>Splitting a message into chunks and securing each (Part 6, 6.7.2 to 6.7.4).</summary>
internal sealed partial class SecureChannel
{
    private async Task SendMessageAsync(uint messageType, uint requestId, ReadOnlyMemory<byte> payload, bool asymmetric,
        CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (asymmetric)
            {
                var chunk = BuildAsymmetricChunk(requestId, payload.Span);
                await _connection.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                return;
            }
            var maxBody = MaxSymmetricBody();
            var limits = _connection.Limits;
            if (limits.MaxMessageSize != 0 && payload.Length > limits.MaxMessageSize
                || limits.MaxChunkCount != 0 && (payload.Length + maxBody - 1) / maxBody > limits.MaxChunkCount)
                throw new OpcUaException(EndpointUrl, StatusCodes.BadRequestTooLarge,
                    $"Expected a request within the server's limits ({limits.MaxMessageSize} bytes, {limits.MaxChunkCount} chunks) " +
                    $"but it has {payload.Length} bytes", isTransient: false);
            var offset = 0;
            do
            {
                var count = Math.Min(maxBody, payload.Length - offset);
                var final = offset + count == payload.Length;
                var chunk = BuildSymmetricChunk(messageType, final ? MessageTypes.Final : MessageTypes.Intermediate, requestId,
                    payload.Span.Slice(offset, count));
                await _connection.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                offset += count;
            }
            while (offset < payload.Length);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            throw Break(new OpcUaException(EndpointUrl, StatusCodes.BadConnectionClosed, $"connection lost while sending: {e.Message}",
                isTransient: true, e));
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private const int SymmetricHeaderLength = 16; // message header (12) + token id
    private const int SequenceHeaderLength = 8;

    private int MaxSymmetricBody()
    {
        var chunkSize = (int)Math.Min(_connection.Limits.ReceiveBufferSize, TransportLimits.Client.SendBufferSize);
        var policy = _settings.Policy;
        var signatureLength = _settings.Mode == OpcUaSecurityMode.None ? 0 : policy.SymmetricSignatureLength;
        if (_settings.Mode != OpcUaSecurityMode.SignAndEncrypt)
            return chunkSize - SymmetricHeaderLength - SequenceHeaderLength - signatureLength;
        var encryptedRegion = (chunkSize - SymmetricHeaderLength) / policy.SymmetricBlockSize * policy.SymmetricBlockSize;
        return encryptedRegion - SequenceHeaderLength - signatureLength - 1;
    }

    private byte[] BuildSymmetricChunk(uint messageType, byte chunkType, uint requestId, ReadOnlySpan<byte> body)
    {
        var policy = _settings.Policy;
        var sign = _settings.Mode != OpcUaSecurityMode.None && !policy.IsNone;
        var encrypt = _settings.Mode == OpcUaSecurityMode.SignAndEncrypt && !policy.IsNone;
        var signatureLength = sign ? policy.SymmetricSignatureLength : 0;
        var plain = SequenceHeaderLength + body.Length;
        var padding = 0;
        if (encrypt)
        {
            var unpadded = plain + 1 + signatureLength;
            padding = (policy.SymmetricBlockSize - unpadded % policy.SymmetricBlockSize) % policy.SymmetricBlockSize;
        }
        var size = SymmetricHeaderLength + plain + (encrypt ? padding + 1 : 0) + signatureLength;
        using var w = new UaWriter(size);
        w.WriteUInt32(messageType | (uint)chunkType << 24);
        w.WriteUInt32((uint)size);
        w.WriteUInt32(_channelId);
        w.WriteUInt32(_token?.TokenId ?? 0);
        w.WriteUInt32(NextSequenceNumber());
        w.WriteUInt32(requestId);
        w.WriteBytes(body);
        if (encrypt)
            for (var i = 0; i <= padding; i++) w.WriteByte((byte)padding);
        if (sign) w.WriteBytes(policy.SymmetricSign(_sendKeys!.SigningKey, w.WrittenSpan));
        var chunk = w.ToArray();
        if (encrypt)
        {
            using var aes = Aes.Create();
            aes.Key = _sendKeys!.EncryptingKey;
            var region = chunk.AsSpan(SymmetricHeaderLength);
            var cipher = aes.EncryptCbc(region, _sendKeys.InitializationVector, PaddingMode.None);
            cipher.CopyTo(region);
        }
        return chunk;
    }

    /// <summary>
    /// An OpenSecureChannel chunk: asymmetric security header, then (for a policy other than None) a region signed with
    /// the client's private key and encrypted block by block with the server's public key. OPN is always signed and
    /// encrypted when the policy is not None, whatever the mode.
    /// </summary>
    private byte[] BuildAsymmetricChunk(uint requestId, ReadOnlySpan<byte> body)
    {
        var policy = _settings.Policy;
        using var w = new UaWriter(body.Length + 4096);
        w.WriteUInt32(MessageTypes.OpenChannel | (uint)MessageTypes.Final << 24);
        w.WriteUInt32(0);
        w.WriteUInt32(_channelId);
        w.WriteString(policy.Uri);
        w.WriteByteString(_clientCertificate);
        w.WriteByteString(_serverThumbprint);
        var headerLength = w.Position;
        if (policy.IsNone)
        {
            w.WriteUInt32(NextSequenceNumber());
            w.WriteUInt32(requestId);
            w.WriteBytes(body);
            w.PatchUInt32(4, (uint)w.Position);
            return w.ToArray();
        }
        var cipherBlock = _serverKey!.KeySize / 8;
        var plainBlock = cipherBlock - policy.OaepOverhead;
        var signatureLength = _clientKey!.KeySize / 8;
        var extraPadding = cipherBlock > 256 ? 1 : 0;
        var unpadded = SequenceHeaderLength + body.Length + 1 + extraPadding + signatureLength;
        var padding = (plainBlock - unpadded % plainBlock) % plainBlock;
        var plainLength = unpadded + padding;
        var size = headerLength + plainLength / plainBlock * cipherBlock;
        if (size > _connection.Limits.ReceiveBufferSize)
            throw new OpcUaException(EndpointUrl, StatusCodes.BadTcpMessageTooLarge,
                $"Expected an OpenSecureChannel chunk of at most {_connection.Limits.ReceiveBufferSize} bytes but it needs {size}", false);
        w.PatchUInt32(4, (uint)size);
        w.WriteUInt32(NextSequenceNumber());
        w.WriteUInt32(requestId);
        w.WriteBytes(body);
        w.WriteByte((byte)padding);
        for (var i = 0; i < padding; i++) w.WriteByte((byte)padding);
        if (extraPadding == 1) w.WriteByte((byte)(padding >> 8));
        var signature = policy.AsymmetricSign(_clientKey, w.WrittenSpan);
        w.WriteBytes(signature);
        var encrypted = policy.AsymmetricEncrypt(_serverKey, w.WrittenSpan[headerLength..]);
        var chunk = new byte[headerLength + encrypted.Length];
        w.WrittenSpan[..headerLength].CopyTo(chunk);
        encrypted.CopyTo(chunk, headerLength);
        return chunk;
    }

    private uint NextSequenceNumber()
    {
        // Part 6, 6.7.2.4: wraps to a value below 1024 before reaching UInt32.MaxValue - 1024.
        _sequenceNumber = _sequenceNumber >= uint.MaxValue - 1024 ? 1 : _sequenceNumber + 1;
        return _sequenceNumber;
    }
}
