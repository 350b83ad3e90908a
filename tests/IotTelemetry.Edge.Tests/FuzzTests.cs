using IotTelemetry.Fuzz;

namespace IotTelemetry.Edge.Tests;

/// <summary>
/// A short `make fuzz`: mutated JSON and Sparkplug payloads into the agent's parsers in process and, through a real
/// mosquitto, into the agent's own process (the full run is `make fuzz`, 100,000 payloads).
/// </summary>
public sealed class FuzzTests
{
    [Fact]
    public void The_parsers_map_or_refuse_every_mutated_payload_and_never_throw()
    {
        var report = ParserHarness.Run(count: 20_000, seed: 7);
        Assert.Equal(20_000, report.Payloads);
        Assert.Empty(report.Failures.Select(f => $"{f.Parser} {f.Topic} ({f.Mutations}) {Convert.ToHexString(f.Payload)}: {f.Error}"));
        Assert.True(report.Readings > 0, "some mutations must still be valid readings");
        Assert.True(report.Rejections.Count >= 8, "the mutations reach many dead-letter reasons: " + string.Join(", ", report.Rejections.Keys));
    }

    [Fact]
    public void The_same_seed_gives_the_same_payloads()
    {
        var a = new Mutator(42, 1000);
        var b = new Mutator(42, 1000);
        for (var i = 0; i < 500; i++) Assert.Equal(a.Next(Seed.All).Payload, b.Next(Seed.All).Payload);
    }

    [Fact]
    public async Task The_agent_turns_every_mutated_message_into_readings_or_one_dead_letter_and_keeps_running()
    {
        var report = await AgentFuzz.RunAsync(count: 2_000, seed: 11, maxRssMb: 400, TextWriter.Null, drainTimeout: TimeSpan.FromSeconds(120));
        Assert.Empty(report.Violations);
        Assert.Equal(0, report.Crashes);
        Assert.Equal(2_000, report.MessagesWithReadings + report.DeadLetters.Values.Sum() + report.NoTelemetry);
        Assert.True(report.MessagesWithReadings > 0 && report.DeadLetters.ContainsKey("not_json") && report.DeadLetters.ContainsKey("bad_sparkplug"),
            "both parsers were reached: " + string.Join(", ", report.DeadLetters.Keys));
        Assert.InRange(report.PeakRssKb, 1, 400 * 1024);
    }
}
