namespace IotTelemetry.TestKit;

/// <summary>
/// mosquitto_pub and mosquitto_sub against a <see cref="MosquittoBroker"/>: an independent MQTT
/// implementation to publish to, or check what reached, the broker.
/// </summary>
public static class MosquittoClients
{
    /// <summary>Publishes one message with mosquitto_pub (binary-safe: the payload goes through a file) and waits for it to finish.</summary>
    public static async Task PublishAsync(MosquittoBroker broker, string topic, ReadOnlyMemory<byte> payload, int qos = 1,
        bool retain = false, string? username = null, string? password = null, IEnumerable<string>? extraArgs = null)
    {
        var file = Path.Combine(broker.Directory, "pub-" + Guid.NewGuid().ToString("N") + ".bin");
        await File.WriteAllBytesAsync(file, payload.ToArray());
        List<string> args = ["-h", broker.Host, "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-t", topic, "-q", qos.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", file];
        if (retain) args.Add("-r");
        AddCredentials(args, username, password);
        if (extraArgs is not null) args.AddRange(extraArgs);
        await using var process = ExternalProcess.Start("mosquitto_pub", args, broker.Directory);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(20));
        File.Delete(file);
        if (code != 0) throw new InvalidOperationException($"mosquitto_pub exited with {code}: {process.Output}");
    }

    public static Task PublishAsync(MosquittoBroker broker, string topic, string payload, int qos = 1, bool retain = false,
        string? username = null, string? password = null, IEnumerable<string>? extraArgs = null) =>
        PublishAsync(broker, topic, System.Text.Encoding.UTF8.GetBytes(payload), qos, retain, username, password, extraArgs);

    /// <summary>
    /// Starts mosquitto_sub printing each message as "MSG qos topic hexpayload" and returns once its
    /// subscription is acknowledged. Dispose the process to stop it.
    /// </summary>
    public static async Task<ExternalProcess> SubscribeAsync(MosquittoBroker broker, string topicFilter, int qos = 1,
        string? username = null, string? password = null)
    {
        List<string> args = ["-h", broker.Host, "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-t", topicFilter, "-q", qos.ToString(System.Globalization.CultureInfo.InvariantCulture), "-d", "-F", "MSG %q %t %x"];
        AddCredentials(args, username, password);
        // stdbuf: mosquitto_sub block-buffers stdout into a pipe; line buffering lets tests see each message at once.
        var process = ExternalProcess.Start("stdbuf", ["-oL", "mosquitto_sub", .. args], broker.Directory);
        try
        {
            await process.WaitForLineAsync("received SUBACK", TimeSpan.FromSeconds(20));
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>The "MSG qos topic hex" lines a <see cref="SubscribeAsync"/> process printed so far.</summary>
    public static IReadOnlyList<string> Messages(ExternalProcess subscriber)
    {
        var result = new List<string>();
        foreach (var line in subscriber.Lines)
            if (line.StartsWith("MSG ", StringComparison.Ordinal)) result.Add(line);
        return result;
    }

    private static void AddCredentials(List<string> args, string? username, string? password)
    {
        if (username is not null) args.AddRange(["-u", username]);
        if (password is not null) args.AddRange(["-P", password]);
    }
}
