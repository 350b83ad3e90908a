using System.Net;
using System.Security.Cryptography.X509Certificates;
using IotTelemetry.Cloud.Dashboard;
using IotTelemetry.Cloud.Lake;
using IotTelemetry.Lake;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IotTelemetry.Cloud.Flight;

/// <summary>
/// The Flight endpoint as its own Kestrel server on <c>Flight:Url</c> (HTTP/2 only, as gRPC needs; TLS with
/// <c>Flight:CertificateFile</c>/<c>KeyFile</c>), started and stopped with the cloud host. Its own server so that the
/// dashboard's HTTP/1.1 endpoint and its settings stay as they are.
/// </summary>
public sealed class FlightHost(IOptions<CloudHostOptions> host, IOptions<LakeOptions> lake, IOptions<FlightOptions> flight, IOptions<DashboardOptions> dashboard, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>
    /// The raw readings, where the sink writes them (the summary tiers are found beside them in the same store); opened at
    /// the first request and again after a failure, so an unreachable blob service is an error of that request, not of the host.
    /// </summary>
    public Lazy<LakeDataset> Raw { get; } = new(() => lake.Value.OpenDataset(host.Value.DataPath), LazyThreadSafetyMode.PublicationOnly);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = flight.Value;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        var endpoint = options.Endpoint;
        builder.WebHost.ConfigureKestrel(k =>
        {
            void Configure(ListenOptions listen)
            {
                listen.Protocols = HttpProtocols.Http2;
                if (endpoint.Scheme == "https") listen.UseHttps(X509Certificate2.CreateFromPemFile(options.CertificateFile!, options.KeyFile));
            }
            if (endpoint.IsLoopback && endpoint.Host == "localhost") k.ListenLocalhost(endpoint.Port, Configure);
            else k.Listen(IPAddress.Parse(endpoint.Host.Trim('[', ']')), endpoint.Port, Configure);
        });
        builder.Services.AddSingleton(Raw);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new FlightAuth(dashboard.Value.Users, options.TokenLifetime, loggers.CreateLogger("IotTelemetry.Cloud.Flight")));
        builder.Services.AddGrpc().AddFlightServer<LakeFlightServer>();
        _app = builder.Build();
        _app.MapFlightEndpoint();
        await _app.StartAsync(cancellationToken);
        FlightLog.Listening(loggers.CreateLogger("IotTelemetry.Cloud.Flight"), options.Url, lake.Value.Root);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
