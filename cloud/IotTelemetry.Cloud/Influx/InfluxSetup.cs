using IotTelemetry.Common.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace IotTelemetry.Cloud.Influx;

/// <summary>Registers the InfluxDB sink when <c>Influx:Enabled</c>.</summary>
public static class InfluxSetup
{
    public static void AddServices(IServiceCollection services, IServiceProvider sections)
    {
        if (!sections.Section<InfluxOptions>().Enabled) return;
        services.AddSingleton(sp => sp.Section<InfluxOptions>());
        services.AddSingleton<InfluxMetrics>();
        services.AddHostedService<InfluxSinkService>();
    }
}
