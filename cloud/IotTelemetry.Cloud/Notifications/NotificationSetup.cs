using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Notifications;

/// <summary>Registers one <see cref="WebhookService"/> per <c>Notifications:Webhooks</c> entry, and their status board.</summary>
public static class NotificationSetup
{
    public static void AddServices(IServiceCollection services, CloudSettings settings)
    {
        services.AddSingleton(new WebhookStatusBoard(settings.Notifications.Webhooks));
        foreach (var target in settings.Notifications.Webhooks)
            services.AddSingleton<IHostedService>(sp => new WebhookService(settings, sp.GetRequiredService<KafkaCluster>(), target,
                sp.GetRequiredService<WebhookStatusBoard>(), sp.GetRequiredService<Instruments>(), sp.GetRequiredService<ILogger<WebhookService>>()));
    }
}
