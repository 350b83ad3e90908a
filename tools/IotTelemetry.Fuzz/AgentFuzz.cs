using System.Diagnostics;
using System.Globalization;
using System.Text;
using IotTelemetry.Common.Kafka;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Sparkplug;
using IotTelemetry.Edge.Validation;
using IotTelemetry.Simulator;
using IotTelemetry.TestKit;
using MQTTnet.Protocol;

namespace IotTelemetry.Fuzz;

/// <summary>What a fuzz run through the agent showed; <see cref="Violations"/> is empty when it kept every promise.</summary>
public sealed record AgentReport(
    int Payloads, int Acknowledged, double Received, int Readings, int MessagesWithReadings,
    IReadOnlyDictionary<string, int> DeadLetters, int NoTelemetry, int Crashes, long PeakRssKb, TimeSpan Elapsed,
    IReadOnlyList<string> Violations)
{
    public double Rate => Payloads / Elapsed.TotalSeconds;
}

/// <summary>
/// The real edge agent as a child process on mosquitto and librdkafka's mock cluster, fed <c>count</c> mutated
/// payloads over MQTT (QoS 1, each on a topic of its own so its outcome can be found on the edge topics). At the end
/// every message must be readings or exactly one dead letter with a reason (a Sparkplug message with no numeric
/// metric is neither, as the in-process mapper also says), no reading may be NaN or infinite, the agent must still
/// run, and its resident memory (VmRSS, sampled every 100 ms) must stay under <c>maxRssMb</c>.
/// </summary>
public static class AgentFuzz
{
    public static async Task<AgentReport> RunAsync(int count, int seed, int maxRssMb, TextWriter log, TimeSpan? drainTimeout = null)
    {
        using var edge = new MockCluster();
        edge.CreateTopic("telemetry", 3);
        edge.CreateTopic("telemetry.deadletter", 1);
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxQueuedMessages = count + 1000 });
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var agent = Programs.Start(Programs.EdgeDll, new Dictionary<string, string>
        {
            ["Edge:Site"] = "fuzz",
            ["Edge:Urls"] = url,
            ["Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = "edge-under-fuzz",
            ["Mqtt:Qos"] = "1",
            ["Kafka:Edge:BootstrapServers"] = edge.BootstrapServers,
            ["Mirror:Enabled"] = "false",
        });
        var metrics = new HostMetrics(url);
        await metrics.WaitForAsync("iott_edge_mqtt_connected", 1, TimeSpan.FromSeconds(90));
        using var telemetry = new KafkaProbe(edge.BootstrapServers, "telemetry", 3);
        using var deadLetters = new KafkaProbe(edge.BootstrapServers, "telemetry.deadletter", 1);

        using var sampling = new CancellationTokenSource();
        long peakRssKb = 0;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested && !agent.HasExited)
            {
                peakRssKb = Math.Max(peakRssKb, RssKb(agent.Id));
                try { await Task.Delay(100, sampling.Token); } catch (OperationCanceledException) { }
            }
        });

        var clock = Stopwatch.StartNew();
        var (kinds, noTelemetry, acknowledged, publishErrors) = await PublishAsync(broker, count, seed);
        log.WriteLine($"published {count:N0} payloads in {clock.Elapsed.TotalSeconds:F1} s ({acknowledged:N0} acknowledged); draining");

        var outcomes = new Outcomes(count);
        var deadline = DateTime.UtcNow + (drainTimeout ?? TimeSpan.FromSeconds(Math.Max(120, count / 200.0)));
        while (!agent.HasExited && outcomes.Accounted(noTelemetry) < count && DateTime.UtcNow < deadline)
        {
            telemetry.Poll(TimeSpan.FromMilliseconds(500));
            deadLetters.Poll(TimeSpan.FromMilliseconds(500));
            outcomes.Take(telemetry, deadLetters);
        }
        var elapsed = clock.Elapsed;
        // Anything later than the last expected outcome would be a second one: read what the topics hold now.
        telemetry.Poll(TimeSpan.FromSeconds(1));
        deadLetters.Poll(TimeSpan.FromSeconds(1));
        outcomes.Take(telemetry, deadLetters);
        var received = await metrics.GetAsync("iott_edge_messages_received_total");
        var readingsMetric = await metrics.GetAsync("iott_edge_readings_total");
        var deadLetterMetric = await metrics.GetAsync("iott_edge_dead_letters_total");
        await sampling.CancelAsync();
        await sampler;

        var violations = new List<string>(publishErrors);
        var crashes = agent.HasExited ? 1 : 0;
        if (agent.HasExited) violations.Add($"the agent exited with code {agent.ExitCode}: {Tail(agent.Output)}");
        if (acknowledged != count) violations.Add($"{count - acknowledged} publishes were not acknowledged by mosquitto");
        if (received != count) violations.Add($"the agent counted {received} messages received (iott_edge_messages_received_total), {count} were published");
        if (readingsMetric != telemetry.Records.Count) violations.Add($"iott_edge_readings_total = {readingsMetric}, the telemetry topic holds {telemetry.Records.Count}");
        if (deadLetterMetric != deadLetters.Records.Count) violations.Add($"iott_edge_dead_letters_total = {deadLetterMetric}, the dead-letter topic holds {deadLetters.Records.Count}");
        if (peakRssKb > maxRssMb * 1024L) violations.Add($"peak RSS {peakRssKb / 1024} MB is above the bound of {maxRssMb} MB");
        violations.AddRange(outcomes.Violations(kinds, noTelemetry));

        return new AgentReport(count, acknowledged, received, telemetry.Records.Count, outcomes.WithReadings, outcomes.ByReason,
            noTelemetry.Count(n => n), crashes, peakRssKb, elapsed, violations);
    }

    /// <summary>
    /// Publishes the mutated payloads and, for each Sparkplug one, asks the agent's own mapper whether it holds a
    /// numeric metric at all: one without is neither readings nor a dead letter by design.
    /// </summary>
    private static async Task<(SeedKind[] Kinds, bool[] NoTelemetry, int Acknowledged, List<string> Errors)> PublishAsync(MosquittoBroker broker, int count, int seed)
    {
        var validation = new ValidationOptions();
        var sparkplug = new SparkplugMapper(new SparkplugOptions(), validation, "fuzz"); // every message has a device of its own, so no state is shared
        var mutator = new Mutator(seed, validation.MaxPayloadBytes);
        var kinds = new SeedKind[count];
        var noTelemetry = new bool[count];
        var errors = new List<string>();
        var acknowledged = 0;
        await using var plant = await PlantMqttClient.ConnectAsync(broker.Host, broker.Port, "fuzz-publisher", CancellationToken.None, maxInFlight: 500);
        const int Chunk = 2000;
        for (var from = 0; from < count; from += Chunk)
        {
            var sends = new List<Task>(Chunk);
            for (var i = from; i < Math.Min(count, from + Chunk); i++)
            {
                var (origin, payload, _) = mutator.Next(Seed.All);
                var topic = origin.Topic(i);
                kinds[i] = origin.Kind;
                if (origin.IsSparkplug)
                {
                    var expected = sparkplug.Map(topic, payload, UnixMicros.Now());
                    noTelemetry[i] = expected is { IsRejected: false, Readings.Count: 0 };
                }
                sends.Add(Send(topic, payload));
            }
            await Task.WhenAll(sends);
        }
        return (kinds, noTelemetry, acknowledged, errors);

        async Task Send(string topic, byte[] payload)
        {
            try
            {
                await plant.PublishAsync(topic, payload, MqttQualityOfServiceLevel.AtLeastOnce, CancellationToken.None);
                Interlocked.Increment(ref acknowledged);
            }
            catch (Exception ex) when (ex is InvalidOperationException or MQTTnet.Exceptions.MqttCommunicationException)
            {
                lock (errors) if (errors.Count < 10) errors.Add($"publish to {topic} failed: {ex.Message}");
            }
        }
    }

    /// <summary>Per message: how many readings and dead letters reached the edge topics, and what was wrong there.</summary>
    private sealed class Outcomes(int count)
    {
        private readonly int[] _readings = new int[count];
        private readonly int[] _deadLetters = new int[count];
        private readonly List<string> _problems = [];
        private int _takenReadings, _takenDeadLetters, _accounted;

        public Dictionary<string, int> ByReason { get; } = [];
        public int WithReadings { get; private set; }

        public int Accounted(bool[] noTelemetry) => _accounted + noTelemetry.Count(n => n);

        public void Take(KafkaProbe telemetry, KafkaProbe deadLetters)
        {
            for (; _takenReadings < telemetry.Records.Count; _takenReadings++)
            {
                var reading = ReadingCodec.Decode(telemetry.Records[_takenReadings].Message.Value);
                if (!double.IsFinite(reading.Value)) Problem($"a {reading.Value} reading in the telemetry topic: {reading.Key} from {reading.Source}");
                var i = Index(reading.Source.StartsWith("mqtt:", StringComparison.Ordinal) ? reading.Source[5..] : reading.Source);
                if (i < 0) continue;
                if (_readings[i]++ == 0) { WithReadings++; if (_deadLetters[i] == 0) _accounted++; }
            }
            for (; _takenDeadLetters < deadLetters.Records.Count; _takenDeadLetters++)
            {
                var message = deadLetters.Records[_takenDeadLetters].Message;
                var reason = message.Headers.TryGetLastBytes(DeadLetterHeaders.Reason, out var r) ? Encoding.UTF8.GetString(r) : "";
                ByReason[reason] = ByReason.GetValueOrDefault(reason) + 1;
                var topic = message.Key is null ? "" : Encoding.UTF8.GetString(message.Key);
                if (reason.Length == 0) Problem($"a dead letter of {topic} without {DeadLetterHeaders.Reason}");
                if (reason == RejectReason.ProcessingError)
                {
                    var detail = message.Headers.TryGetLastBytes(DeadLetterHeaders.Detail, out var d) ? Encoding.UTF8.GetString(d) : "";
                    Problem($"{topic}: the agent's parser threw ({detail}); payload {Convert.ToHexString(message.Value ?? [])[..Math.Min(400, 2 * (message.Value?.Length ?? 0))]}");
                }
                var i = Index(topic);
                if (i < 0) continue;
                if (_deadLetters[i]++ == 0 && _readings[i] == 0) _accounted++;
            }
        }

        public IEnumerable<string> Violations(SeedKind[] kinds, bool[] noTelemetry)
        {
            var silent = new List<int>();
            for (var i = 0; i < count; i++)
            {
                if (_deadLetters[i] > 1) Problem($"message {i} ({kinds[i]}) has {_deadLetters[i]} dead letters");
                if (_deadLetters[i] > 0 && _readings[i] > 0) Problem($"message {i} ({kinds[i]}) has both readings and a dead letter");
                if (_deadLetters[i] == 0 && _readings[i] == 0 && !noTelemetry[i]) silent.Add(i);
                if (noTelemetry[i] && _deadLetters[i] + _readings[i] > 0) Problem($"message {i} ({kinds[i]}) has no numeric metric in process, but readings or a dead letter from the agent");
            }
            if (silent.Count > 0)
                Problem($"{silent.Count} messages became neither readings nor a dead letter, e.g. {string.Join(", ", silent.Take(10).Select(i => $"{i} ({kinds[i]})"))}");
            return _problems.Count > 50 ? [.. _problems.Take(50), $"... and {_problems.Count - 50} more"] : _problems;
        }

        private int Index(string topic)
        {
            var i = Seed.IndexOf(topic);
            if (i >= 0 && i < count) return i;
            Problem($"an outcome for a topic that was not published: {topic}");
            return -1;
        }

        private void Problem(string text) => _problems.Add(text);
    }

    /// <summary>VmRSS of a process in kB, 0 once it is gone.</summary>
    public static long RssKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        return 0;
    }

    private static string Tail(string output) => output.Length <= 2000 ? output : output[^2000..];
}
