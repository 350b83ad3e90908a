using System.Security.Claims;
using System.Text.Json;
using IotTelemetry.Anomaly;
using IotTelemetry.Cloud.Detector;
using IotTelemetry.Cloud.Lake;
using IotTelemetry.Common.Hosting;
using IotTelemetry.Common.Readings;
using IotTelemetry.Lake;
using IotTelemetry.Lake.Rollups;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>
/// The dashboard on <c>Cloud:Urls</c>: a login page, the alert page (alerts pushed as Server-Sent Events),
/// acknowledgement, per-asset charts and pipeline health as JSON. Every script and style comes from
/// <c>wwwroot</c> beside the program: no CDN.
/// </summary>
public static class DashboardEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void AddServices(IServiceCollection services, IServiceProvider sections)
    {
        var options = sections.Section<DashboardOptions>();
        if (!options.Enabled) return;
        var dataPath = sections.Section<CloudHostOptions>().DataPath;
        var lake = sections.Section<LakeOptions>();
        services.AddSingleton(new AlertBoard(options.HistoryLimit));
        services.AddSingleton(new AckJournal(Path.Combine(dataPath, sections.Section<DetectorOptions>().Journal)));
        services.AddSingleton(new RecentValues(options.RecentValuesPerSensor));
        // Long-range charts read the rollup datasets beside the raw lake, whichever host writes them.
        services.AddSingleton(_ => new RollupReader(RollupFiles.Beside(LakeStores.OpenDataset(lake.Store, dataPath, lake.Root))));
        services.AddSingleton<AckPublisher>();
        services.AddSingleton<PipelineHealth>();
        services.AddHostedService<AlertFeedService>();
        services.AddHostedService<RecentValuesService>();
        // Session cookies are signed with keys kept in the data directory (logins survive a restart); protect it like the journal.
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataPath, "dashboard-keys")));
        services.AddLogging(b => b.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error));
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.LoginPath = "/login";
            o.Cookie.Name = "iott-session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = options.SessionLifetime;
            o.SlidingExpiration = true;
            // API calls get 401, not a redirect to the login page.
            o.Events.OnRedirectToLogin = ctx =>
            {
                if (ctx.Request.Path.StartsWithSegments("/api")) ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                else ctx.Response.Redirect(ctx.RedirectUri);
                return Task.CompletedTask;
            };
        });
        services.AddAuthorization();
    }

    public static void Map(WebApplication app)
    {
        var options = app.Services.Section<DashboardOptions>();
        if (!options.Enabled) return;
        var minuteDays = app.Services.Section<RetentionPolicy>().MinuteDays;
        var webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IotTelemetry.Cloud.Dashboard");
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(webRoot), RequestPath = "/assets" });

        app.MapGet("/login", () => Results.File(Path.Combine(webRoot, "login.html"), "text/html; charset=utf-8"));
        app.MapPost("/login", async (HttpContext ctx) =>
        {
            var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
            var name = form["user"].ToString().Trim();
            var password = form["password"].ToString();
            var user = options.Users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.Ordinal));
            if (user is null || !PasswordHash.Verify(password, user.PasswordHash))
            {
                DashboardLog.LoginRefused(log, name, ctx.Connection.RemoteIpAddress?.ToString() ?? "?");
                return Results.Redirect("/login?failed=1");
            }
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Name)], CookieAuthenticationDefaults.AuthenticationScheme);
            await ctx.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            DashboardLog.LoggedIn(log, user.Name);
            return Results.Redirect("/");
        });
        app.MapPost("/logout", async (HttpContext ctx) =>
        {
            await ctx.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login");
        });

        app.MapGet("/", () => Results.File(Path.Combine(webRoot, "index.html"), "text/html; charset=utf-8")).RequireAuthorization();
        app.MapGet("/api/me", (ClaimsPrincipal user) => Results.Json(new { name = user.Identity?.Name }, Json)).RequireAuthorization();
        app.MapGet("/api/alerts", (AlertBoard board) => Results.Json(board.Snapshot(), Json)).RequireAuthorization();
        app.MapGet("/api/alerts/stream", (HttpContext ctx, AlertBoard board) => StreamAsync(ctx, board)).RequireAuthorization();
        app.MapPost("/api/alerts/ack", (AckRequest request, ClaimsPrincipal user, AlertBoard board, AckJournal journal, AckPublisher publisher) =>
        {
            var open = board.FindOpen(request.AlertId ?? "");
            if (open is null) return Results.NotFound(new { error = $"expected an open alert id, got '{request.AlertId}'" });
            var by = user.Identity?.Name ?? "?";
            var comment = (request.Comment ?? "").Trim().ReplaceLineEndings(" ");
            var ack = new Acknowledgement(by, comment, UnixMicros.Now());
            var e = open with { Kind = AlertEventKind.Acknowledged, Message = ack.ToMessage(), EventMicros = ack.AtMicros, ClearedMicros = null };
            journal.Append(e);
            board.Apply(e);
            publisher.Publish(e);
            DashboardLog.Acknowledged(log, e.AlertId, by);
            return Results.Json(ack, Json);
        }).RequireAuthorization();
        app.MapGet("/api/health", (PipelineHealth health) => Results.Json(health.Sample(), Json)).RequireAuthorization();
        app.MapGet("/api/assets", (RecentValues values) => Results.Json(values.Assets(), Json)).RequireAuthorization();
        app.MapGet("/api/assets/{site}/{asset}", (string site, string asset, string? range, string? from, string? to,
            RecentValues values, RollupReader rollups, AlertBoard board) =>
        {
            var chart = ChartRange.Parse(range, from, to, UnixMicros.Now(), options.MaxChartPoints, minuteDays, out var error);
            if (chart is null) return Results.BadRequest(new { error });
            return Results.Json(chart.Tier is null ? AssetSeries.Load(values, board, site, asset) : AssetSeries.Load(rollups, board, site, asset, chart), Json);
        }).RequireAuthorization();

        DashboardLog.Started(log, app.Services.Section<CloudHostOptions>().Urls.Split(';')[0], options.Users.Count, app.Services.Section<CloudTopicOptions>().Alerts, Path.Combine(app.Services.Section<CloudHostOptions>().DataPath, app.Services.Section<DetectorOptions>().Journal));
        if (options.Users.Count == 0) DashboardLog.NoUsers(log);
    }

    /// <summary>Server-Sent Events: the whole board as event <c>alerts</c> whenever it changes, a comment line as heartbeat.</summary>
    private static async Task StreamAsync(HttpContext ctx, AlertBoard board)
    {
        // Ends with the request or when the host stops (an open page must not hold up shutdown).
        var stopping = ctx.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
        var ct = linked.Token;
        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        ctx.Response.Headers["X-Accel-Buffering"] = "no";
        long seen = -1;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var state = board.Snapshot();
                if (state.Version != seen)
                {
                    seen = state.Version;
                    await ctx.Response.WriteAsync("event: alerts\ndata: " + JsonSerializer.Serialize(state, Json) + "\n\n", ct);
                }
                else await ctx.Response.WriteAsync(": keep-alive\n\n", ct);
                await ctx.Response.Body.FlushAsync(ct);
                await board.WaitForChangeAsync(seen, TimeSpan.FromSeconds(15), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private sealed record AckRequest(string? AlertId, string? Comment);
}
