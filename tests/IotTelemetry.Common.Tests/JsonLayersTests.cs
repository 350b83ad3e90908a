using System.Text.Json.Nodes;
using IotTelemetry.Common.Hosting;
using IotTelemetry.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IotTelemetry.Common.Tests;

public class JsonLayersTests
{
    [Fact]
    public void Objects_merge_member_by_member_but_a_list_in_the_users_file_replaces_the_defaults_whole()
    {
        var defaults = JsonNode.Parse("""{"Mapping":{"Rules":[{"Topic":"a/{sensor}","ReadingsPath":null},{"Topic":"b","ReadingsPath":"$.readings"}]},"Mqtt":{"Host":"h","Port":1883}}""");
        var user = JsonNode.Parse("""{"mapping":{"Rules":[{"Topic":"x/{sensor}"},{"Topic":"y/{sensor}"}]},"Mqtt":{"Port":8883}}""");
        var merged = JsonLayers.Merge(defaults, user)!;
        var expected = JsonNode.Parse("""{"Mqtt":{"Host":"h","Port":8883},"mapping":{"Rules":[{"Topic":"x/{sensor}"},{"Topic":"y/{sensor}"}]}}""");
        Assert.True(JsonNode.DeepEquals(expected, merged), merged.ToJsonString());
    }

    [Fact]
    public void A_config_file_given_to_a_host_replaces_the_lists_of_the_default_file_and_environment_and_arguments_still_win()
    {
        var dir = Directory.CreateTempSubdirectory("iott-layers-").FullName;
        var file = Path.Combine(dir, "site.json");
        File.WriteAllText(file, """{"Vendors":[{"Name":"only"}],"Edge":{"Site":"from-file"},"Kafka":{"Edge":{"EmbeddedPartitions":3}}}""");
        var builder = ServiceHost.CreateBuilder(["--config", file, "--Edge:Site=from-args"]);
        // appsettings.json of this test project (copied beside it) lists two vendors and an edge section.
        Assert.Equal("only", builder.Configuration["Vendors:0:Name"]);
        Assert.Null(builder.Configuration["Vendors:1:Name"]);
        Assert.Null(builder.Configuration["Vendors:0:Assets:0"]); // nothing inherited from the default file's first vendor
        Assert.Equal("from-args", builder.Configuration["Edge:Site"]);
        Assert.Equal("3", builder.Configuration["Kafka:Edge:EmbeddedPartitions"]);
        Assert.Equal("embedded", builder.Configuration["Kafka:Edge:BootstrapServers"]); // objects still merge
    }

    [Fact]
    public async Task A_background_service_that_fails_makes_the_host_exit_non_zero()
    {
        var builder = ServiceHost.CreateBuilder(["--urls=http://127.0.0.1:0"]);
        builder.Services.AddHostedService<Failing>();
        await using var app = builder.Build();
        Assert.Equal(ServiceHost.FatalErrorExitCode, await ServiceHost.RunUntilStoppedAsync(app));
    }

    [Fact]
    public async Task A_background_service_that_fails_while_the_host_is_still_starting_makes_it_exit_non_zero_not_throw()
    {
        // The start of the services after it (here a gate, then the web server) waits until the failure has stopped
        // the host, so the web server's start is cancelled: what a loaded machine does by chance.
        var builder = ServiceHost.CreateBuilder(["--urls=http://127.0.0.1:0"]);
        builder.Services.AddSingleton<Failing>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Failing>());
        builder.Services.AddHostedService<GateUntilFailed>();
        await using var app = builder.Build();
        Assert.Equal(ServiceHost.FatalErrorExitCode, await ServiceHost.RunUntilStoppedAsync(app));
    }

    private sealed class GateUntilFailed(Failing failing, IHostApplicationLifetime lifetime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            Wait.UntilAsync(() => failing.ExecuteTask is { IsFaulted: true } && lifetime.ApplicationStopping.IsCancellationRequested,
                "the failing service faulted and the host stopping", TimeSpan.FromSeconds(30));

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class Failing : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("a payload nobody expected");
        }
    }
}
