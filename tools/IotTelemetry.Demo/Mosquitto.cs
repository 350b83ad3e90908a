using System.Net.Sockets;

namespace IotTelemetry.Demo;

/// <summary>Runs mosquitto (apt) on loopback with persistence in the demo's directory.</summary>
internal static class Mosquitto
{
    public static async Task<ChildProcess> StartAsync(string dir, int port, CancellationToken ct)
    {
        var binary = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed: apt-get install -y mosquitto (make run does this)");
        Directory.CreateDirectory(dir);
        var conf = Path.Combine(dir, "mosquitto.conf");
        await File.WriteAllTextAsync(conf, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            persistence true
            persistence_location {dir}/
            user root
            max_queued_messages 1000000
            max_inflight_messages 1000
            """, ct);
        var process = new ChildProcess("mosquitto", binary, ["-c", conf], Path.Combine(dir, "mosquitto.log"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, ct);
                return process;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100, ct);
            }
        }
    }
}
