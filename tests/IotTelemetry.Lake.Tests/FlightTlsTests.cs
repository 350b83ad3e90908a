using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Grpc.Core;
using Grpc.Net.Client;
using IotTelemetry.TestKit;

namespace IotTelemetry.Lake.Tests;

/// <summary>The Flight endpoint on https with a certificate from Flight:CertificateFile/KeyFile, checked by a client that trusts only the test CA.</summary>
public sealed class FlightTlsTests : IDisposable
{
    private readonly string _dir = RepoPaths.NewTempDirectory("flight-tls");

    [Fact]
    public async Task Over_TLS_a_client_trusting_the_CA_logs_in_and_a_plaintext_client_gets_nothing()
    {
        var certs = await TestCertificates.CreateAsync(Path.Combine(_dir, "certs"));
        var port = FreePort.Next();
        await using var host = Programs.Start(Programs.CloudDll, new Dictionary<string, string>
        {
            ["Cloud:DataDir"] = _dir,
            ["Cloud:Urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Detector:Enabled"] = "false",
            ["Lake:Enabled"] = "false",
            ["Flight:Enabled"] = "true",
            ["Flight:Url"] = $"https://127.0.0.1:{port}",
            ["Flight:CertificateFile"] = certs.ServerCertificate,
            ["Flight:KeyFile"] = certs.ServerKey,
            ["Dashboard:Users:0:Name"] = FlightLake.User,
            ["Dashboard:Users:0:PasswordHash"] = FlightLake.HashOf(FlightLake.Password),
        });
        await host.WaitForLineAsync("Arrow Flight listening", TimeSpan.FromSeconds(60));

        using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certs.CaCertificate));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{port}", new GrpcChannelOptions { HttpHandler = handler });
        var client = new FlightClient(channel);
        using var call = client.Handshake(new Metadata
        {
            { "authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(FlightLake.User + ":" + FlightLake.Password)) },
        });
        await call.RequestStream.CompleteAsync();
        Assert.StartsWith("Bearer ", (await call.ResponseHeadersAsync).GetValue("authorization"), StringComparison.Ordinal);

        // The lake is empty: the endpoint answers, over TLS, that there is nothing to read yet.
        var bearer = new Metadata { { "authorization", (await call.ResponseHeadersAsync).GetValue("authorization")! } };
        var empty = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var get = client.GetStream(new FlightTicket("{}"), bearer);
            await foreach (var _ in get.ResponseStream) { }
        });
        Assert.Equal(StatusCode.NotFound, empty.StatusCode);

        using var plain = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var list = new FlightClient(plain).ListFlights(new FlightCriteria(), bearer);
            await list.ResponseStream.MoveNext(CancellationToken.None);
        });
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
