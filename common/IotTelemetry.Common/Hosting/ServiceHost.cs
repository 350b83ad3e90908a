using IotTelemetry.Common.Configuration;
using IotTelemetry.Common.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IotTelemetry.Common.Hosting;

/// <summary>
/// What the edge and cloud hosts share: configuration layering, start-up validation that stops with a
/// readable message, one-line console logs, and the /metrics (OpenTelemetry's Prometheus exporter) and /health endpoints.
/// </summary>
public static class ServiceHost
{
    /// <summary>Exit code for a configuration the process refused to start with.</summary>
    public const int ConfigurationErrorExitCode = 2;

    /// <summary>Exit code after a fatal error at run time (a service that failed, an exception nothing expected): a supervisor restarts the process.</summary>
    public const int FatalErrorExitCode = 1;

    /// <summary>
    /// Configuration, last wins: appsettings.json beside the program; the file named by <c>--config FILE</c> or
    /// <c>IOTT_CONFIG</c>; environment variables (<c>Kafka__Edge__BootstrapServers=...</c>); command-line
    /// <c>--Key=value</c> pairs. A list (JSON array) in the <c>--config</c> file replaces the default file's list at the
    /// same place whole, instead of merging with it element by element (<see cref="JsonLayers"/>).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var configFile = ExtractConfigFile(ref args) ?? Environment.GetEnvironmentVariable("IOTT_CONFIG");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
                throw new ConfigurationException([$"--config / IOTT_CONFIG: expected an existing JSON file, got '{configFile}'"]);
            JsonLayers.UseOverDefaults(builder.Configuration, Path.GetFullPath(configFile));
        }
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        builder.Services.AddSingleton<Instruments>();
        // Scraped fresh each time (no response cache), so a counter read right after an event shows it.
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "iott"))
            .WithMetrics(metrics => metrics
                .AddMeter(Instruments.MeterName)
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    /// <summary>Binds section <paramref name="key"/> to <typeparamref name="T"/>, turning binder failures into messages that name the key.</summary>
    public static T Bind<T>(IConfiguration configuration, string key, ConfigErrors errors) where T : new()
    {
        var value = new T();
        BindInto(configuration, key, value, errors);
        return value;
    }

    /// <summary>Binds section <paramref name="key"/> onto <paramref name="value"/>, turning binder failures into messages that name the key.</summary>
    public static void BindInto<T>(IConfiguration configuration, string key, T value, ConfigErrors errors)
    {
        try
        {
            configuration.GetSection(key).Bind(value);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(key, "values of the right type (" + ex.Message + ")", null);
        }
    }

    /// <summary>
    /// Maps <c>/metrics</c> (Prometheus text) and <c>/health</c>: <c>200 ok ...</c>; <c>200 degraded ...</c> naming each
    /// problem <paramref name="problems"/> reports (running, but part of the input is not flowing); <c>503 unhealthy ...</c>.
    /// </summary>
    public static void MapOperationalEndpoints(WebApplication app, Func<(bool Healthy, string Detail)> health, Func<IReadOnlyCollection<string>>? problems = null)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/health", () =>
        {
            var (healthy, detail) = health();
            if (!healthy) return Results.Text("unhealthy " + detail, statusCode: 503);
            var found = problems?.Invoke() ?? [];
            return found.Count == 0 ? Results.Text("ok " + detail) : Results.Text($"degraded {detail}; " + string.Join("; ", found));
        });
    }

    /// <summary>
    /// Runs <paramref name="main"/>, printing a configuration problem as a plain message (no stack trace)
    /// and returning <see cref="ConfigurationErrorExitCode"/>.
    /// </summary>
    public static async Task<int> RunAsync(string programName, Func<Task<int>> main)
    {
        try
        {
            return await main();
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"{programName}: cannot start. {ex.Message}");
            return ConfigurationErrorExitCode;
        }
        catch (OptionsValidationException ex)
        {
            // a section read before ConfigSections.Check ran (a host's bug, but the message is still the user's to read)
            await Console.Error.WriteLineAsync($"{programName}: cannot start. {new ConfigurationException(ex.Failures.ToList()).Message}");
            return ConfigurationErrorExitCode;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"{programName}: stopping after a fatal error: {ex}");
            return FatalErrorExitCode;
        }
    }

    /// <summary>
    /// Runs the host until it stops and returns the process's exit code: <see cref="Environment.ExitCode"/> as a service
    /// set it, or <see cref="FatalErrorExitCode"/> when a background service ended with an exception (the host then stops
    /// on its own, and a zero exit would keep a supervisor such as systemd's <c>Restart=on-failure</c> from restarting it).
    /// </summary>
    public static async Task<int> RunUntilStoppedAsync(WebApplication app)
    {
        // RunAsync disposes the host's services: take hold of the background services first.
        var services = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Microsoft.Extensions.Hosting.BackgroundService>().ToList();
        try
        {
            await app.RunAsync();
        }
        catch (OperationCanceledException) when (services.Any(s => s.ExecuteTask is { IsFaulted: true }))
        {
            // A service that failed while the host was still starting stops it mid-start (Kestrel's bind is
            // cancelled): that is the service's fatal error, reported below, not a second one.
        }
        if (Environment.ExitCode != 0) return Environment.ExitCode;
        var failed = services
            .Where(s => s.ExecuteTask is { IsFaulted: true })
            .Select(s => s.GetType().Name)
            .ToList();
        if (failed.Count == 0) return 0;
        await Console.Error.WriteLineAsync($"stopping after a fatal error in {string.Join(", ", failed)} (see the log above)");
        return FatalErrorExitCode;
    }

    private static string? ExtractConfigFile(ref string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                var file = args[i + 1];
                args = [.. args[..i], .. args[(i + 2)..]];
                return file;
            }
            if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                var file = args[i]["--config=".Length..];
                args = [.. args[..i], .. args[(i + 1)..]];
                return file;
            }
        }
        return null;
    }
}
