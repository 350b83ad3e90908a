using Microsoft.Extensions.DependencyInjection;

namespace IotTelemetry.Cloud.Influx;

/// <summary>Registers the InfluxDB sink when <c>Influx:Enabled</c>.</summary>
public static class InfluxSetup
{
    public static void AddServices(IServiceCollection services, CloudSettings settings)
    {
        if (!settings.Influx.Enabled) return;
        services.AddSingleton(settings.Influx);
        services.AddSingleton<InfluxMetrics>();
        services.AddHostedService<InfluxSinkService>();
    }
}
