using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Json;
using IotTelemetry.Edge.Sparkplug;
using IotTelemetry.Edge.Validation;

namespace IotTelemetry.Fuzz;

/// <summary>A payload one of the agent's parsers threw on, or mapped to a reading it must never make.</summary>
public sealed record ParserFailure(string Parser, string Topic, byte[] Payload, string Mutations, string Error);

/// <summary>What the in-process harness did.</summary>
public sealed record ParserReport(int Payloads, int Readings, IReadOnlyDictionary<string, int> Rejections, IReadOnlyList<ParserFailure> Failures, TimeSpan Elapsed);

/// <summary>
/// The agent's own parsers in process: every mutated payload goes through <see cref="PayloadMapper.Map"/> and
/// <see cref="SparkplugMapper.Map"/> (both, whatever its seed, so JSON meets the protobuf decoder and the other way
/// round). Any exception is a failure, as is a NaN or infinite reading or a rejection without a reason.
/// </summary>
public static class ParserHarness
{
    /// <summary>The rules of the agent's default appsettings.json.</summary>
    public static PayloadMapper DefaultJsonMapper(ValidationOptions validation) => new(
    [
        new MappingRule { Name = "plant-json", Topic = "plants/{site}/{asset}/{sensor}" },
        new MappingRule { Name = "plant-json-batch", Topic = "plants/{site}/{asset}", ReadingsPath = "$.readings", SensorPath = "$.sensor" },
    ], validation, "fuzz");

    public static ParserReport Run(int count, int seed, TimeSpan? budget = null)
    {
        var validation = new ValidationOptions();
        var json = DefaultJsonMapper(validation);
        var sparkplug = new SparkplugMapper(new SparkplugOptions(), validation, "fuzz"); // one for the run: aliases carry over, as in the agent
        var mutator = new Mutator(seed, validation.MaxPayloadBytes);
        var started = DateTime.UtcNow;
        var failures = new List<ParserFailure>();
        var rejections = new Dictionary<string, int>();
        var readings = 0;
        var done = 0;
        for (; done < count && (budget is null || DateTime.UtcNow - started < budget); done++)
        {
            var (from, payload, mutations) = mutator.Next(Seed.All);
            var jsonTopic = from.IsSparkplug ? new Seed(SeedKind.Json, []).Topic(done) : from.Topic(done);
            var sparkplugTopic = from.IsSparkplug ? from.Topic(done) : new Seed(SeedKind.SparkplugData, []).Topic(done % 7);
            Check("PayloadMapper", jsonTopic, () => json.Map(jsonTopic, payload, UnixMicros.Now()));
            Check("SparkplugMapper", sparkplugTopic, () => sparkplug.Map(sparkplugTopic, payload, UnixMicros.Now()));

            void Check(string parser, string topic, Func<MappingResult> map)
            {
                string? error;
                try
                {
                    var result = map();
                    error = Violation(result);
                    if (result.Rejection is { } r) rejections[r.Reason] = rejections.GetValueOrDefault(r.Reason) + 1;
                    else readings += result.Readings.Count;
                }
                catch (Exception ex)
                {
                    error = ex.ToString();
                }
                if (error is not null) failures.Add(new ParserFailure(parser, topic, payload, mutations, error));
            }
        }
        return new ParserReport(done, readings, rejections, failures, DateTime.UtcNow - started);
    }

    /// <summary>What is wrong with a mapping result, null when nothing.</summary>
    public static string? Violation(MappingResult result)
    {
        if (result.Rejection is { } r)
            return string.IsNullOrEmpty(r.Reason) ? "a rejection without a reason: " + r.Detail : null;
        var bad = result.Readings.FirstOrDefault(x => !double.IsFinite(x.Value));
        return bad is null ? null : $"a reading with value {bad.Value}: {bad.Key}";
    }
}
