using System.Net;
using IotTelemetry.Cloud.Influx;
using IotTelemetry.Common.Configuration;
using IotTelemetry.TestKit;

namespace IotTelemetry.Cloud.Tests;

/// <summary>
/// The InfluxDB 2.x write API. No InfluxDB 2 runs here (apt has 1.6 only), so a loopback listener records what
/// the client sends and checks it against the 2.x API: path, org, bucket, precision, token header, line protocol.
/// </summary>
public sealed class InfluxClientTests
{
    [Fact]
    public async Task Api_version_2_posts_line_protocol_to_api_v2_write_with_the_token_and_microseconds()
    {
        var port = FreePort.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var options = new InfluxOptions
        {
            Enabled = true, ApiVersion = 2, Url = $"http://127.0.0.1:{port}", Org = "plant ops", Bucket = "recent", Token = "tok-123",
        };
        var errors = new ConfigErrors();
        options.Validate(errors);
        Assert.Empty(errors.Problems);
        using var client = new InfluxClient(options);

        var write = client.WriteAsync("readings,asset=p1 value=1.5 1763000000000001\n", CancellationToken.None);
        var ctx = await Wait.ForAsync(listener.GetContextAsync(), "the write request");
        using (var reader = new StreamReader(ctx.Request.InputStream)) Assert.Equal("readings,asset=p1 value=1.5 1763000000000001\n", await reader.ReadToEndAsync());
        Assert.Equal("POST", ctx.Request.HttpMethod);
        Assert.Equal("/api/v2/write", ctx.Request.Url!.AbsolutePath);
        Assert.Equal("plant ops", ctx.Request.QueryString["org"]);
        Assert.Equal("recent", ctx.Request.QueryString["bucket"]);
        Assert.Equal("us", ctx.Request.QueryString["precision"]);
        Assert.Equal("Token tok-123", ctx.Request.Headers["Authorization"]);
        ctx.Response.StatusCode = 204;
        ctx.Response.Close();
        await Wait.ForAsync(write, "the write to complete");

        // A server error is transient (retried by the sink); a bad request is not, and the token is not in the message.
        var failing = client.WriteAsync("bad line\n", CancellationToken.None);
        ctx = await Wait.ForAsync(listener.GetContextAsync(), "the second write request");
        ctx.Response.StatusCode = 400;
        ctx.Response.Close();
        var ex = await Assert.ThrowsAsync<InfluxWriteException>(() => failing);
        Assert.False(ex.IsTransient);
        Assert.Contains("expected 204, got 400", ex.Message);
        Assert.DoesNotContain("tok-123", ex.Message);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_transient_failure()
    {
        var options = new InfluxOptions { Enabled = true, Url = $"http://127.0.0.1:{FreePort.Next()}", RequestTimeout = TimeSpan.FromSeconds(2) };
        options.Validate(new ConfigErrors());
        using var client = new InfluxClient(options);
        var ex = await Assert.ThrowsAsync<InfluxWriteException>(() => client.WriteAsync("m value=1 1\n", CancellationToken.None));
        Assert.True(ex.IsTransient);
    }
}
