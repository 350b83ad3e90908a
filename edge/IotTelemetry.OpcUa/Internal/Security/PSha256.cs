using System.Security.Cryptography;

namespace IotTelemetry.OpcUa.Internal.Security;

/// <summary>
/// The P_SHA256 pseudo-random function of RFC 5246, 5 that OPC UA uses for key derivation (Part 6, 6.7.5):
/// A(0) = seed, A(i) = HMAC(secret, A(i-1)), output = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ...
/// </summary>
internal static class PSha256
{
    public static byte[] Derive(byte[] secret, byte[] seed, int length)
    {
        var output = new byte[length];
        var a = HMACSHA256.HashData(secret, seed);
        var input = new byte[a.Length + seed.Length];
        for (var offset = 0; offset < length;)
        {
            a.CopyTo(input, 0);
            seed.CopyTo(input, a.Length);
            var block = HMACSHA256.HashData(secret, input);
            var count = Math.Min(block.Length, length - offset);
            block.AsSpan(0, count).CopyTo(output.AsSpan(offset));
            offset += count;
            a = HMACSHA256.HashData(secret, a);
        }
        return output;
    }
}
