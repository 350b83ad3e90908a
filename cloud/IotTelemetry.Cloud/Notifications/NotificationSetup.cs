using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IotTelemetry.Cloud.Notifications;

/// <summary>Registers one <see cref="WebhookService"/> per <c>Notifications:Webhooks</c> entry, and their status board.</summary>
public static class NotificationSetup
{
    public static void AddServices(IServiceCollection services, IServiceProvider sections)
    {
        services.AddSingleton(new WebhookStatusBoard(sections.Section<NotificationOptions>().Webhooks));
        foreach (var target in sections.Section<NotificationOptions>().Webhooks)
            services.AddSingleton<IHostedService>(sp => new WebhookService(sp.GetRequiredService<IOptions<CloudTopicOptions>>(), sp.GetRequiredService<IOptions<NotificationOptions>>(),
                sp.GetRequiredService<KafkaCluster>(), target,
                sp.GetRequiredService<WebhookStatusBoard>(), sp.GetRequiredService<Instruments>(), sp.GetRequiredService<ILogger<WebhookService>>()));
    }
}
