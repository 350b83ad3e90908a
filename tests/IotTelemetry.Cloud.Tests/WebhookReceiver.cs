using System.Collections.Concurrent;
using System.Net;
using IotTelemetry.TestKit;

namespace IotTelemetry.Cloud.Tests;

/// <summary>A webhook endpoint on loopback (HttpListener) that answers 503 until told to accept, and keeps every request.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Event, string Body, string? Signature, int Status)> _requests = new();
    private volatile bool _accepting;

    public WebhookReceiver()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/hooks/tickets";
    public bool Accepting { get => _accepting; set => _accepting = value; }
    public IReadOnlyList<(string Event, string Body, string? Signature, int Status)> Requests => [.. _requests];

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException) { return; }
            using var reader = new StreamReader(ctx.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var status = _accepting ? 204 : 503;
            _requests.Enqueue((ctx.Request.Headers["X-Iott-Event"] ?? "", body, ctx.Request.Headers["X-Iott-Signature"], status));
            ctx.Response.StatusCode = status;
            ctx.Response.Close();
        }
    }

    public void Dispose()
    {
        try { _listener.Stop(); } catch (ObjectDisposedException) { }
        _listener.Close();
    }
}
