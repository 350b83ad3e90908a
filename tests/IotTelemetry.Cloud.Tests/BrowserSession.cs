using Microsoft.Playwright;
using IotTelemetry.TestKit;

namespace IotTelemetry.Cloud.Tests;

/// <summary>Headless Debian Chromium driven by Playwright (no browser download), and where screenshots go.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>artifacts/screenshots/ at the repository root, kept after the run.</summary>
    public static string ArtifactsDirectory
    {
        get
        {
            var dir = Path.Combine(RepoPaths.Root, "artifacts", "screenshots");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public static async Task<BrowserSession> StartAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} not found: install it with `apt-get install -y chromium` (make test does)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new BrowserSession(playwright, browser);
    }

    public async ValueTask DisposeAsync()
    {
        try { await Browser.CloseAsync(); }
        catch (PlaywrightException) { }
        _playwright.Dispose();
    }
}
