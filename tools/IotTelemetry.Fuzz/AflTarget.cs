using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Json;
using IotTelemetry.Edge.Sparkplug;
using IotTelemetry.Edge.Validation;

namespace IotTelemetry.Fuzz;

/// <summary>
/// The target AFL++ runs (<c>make fuzz-afl</c>): SharpFuzz feeds each input AFL++ makes to both parsers of the
/// instrumented IotTelemetry.Edge.dll. An exception escapes on purpose, so AFL++ records the input as a crash.
/// </summary>
public static class AflTarget
{
    public static void Run()
    {
        // Instrumented code may run only inside Run, once SharpFuzz has mapped AFL++'s shared memory: built on first input.
        PayloadMapper? json = null;
        SparkplugMapper? sparkplug = null;
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            var validation = new ValidationOptions();
            json ??= ParserHarness.DefaultJsonMapper(validation);
            sparkplug ??= new SparkplugMapper(new SparkplugOptions(), validation, "fuzz");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var payload = copy.ToArray();
            foreach (var result in new[]
            {
                json.Map("plants/fuzz/a1/temperature", payload, UnixMicros.Now()),
                json.Map("plants/fuzz/a1", payload, UnixMicros.Now()),
                sparkplug.Map("spBv1.0/fuzz/DBIRTH/node/d1", payload, UnixMicros.Now()),
                sparkplug.Map("spBv1.0/fuzz/DDATA/node/d1", payload, UnixMicros.Now()),
            })
            {
                if (ParserHarness.Violation(result) is { } violation) throw new InvalidOperationException(violation);
            }
        });
    }
}
