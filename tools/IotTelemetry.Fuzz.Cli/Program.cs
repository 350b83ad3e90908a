using System.Globalization;
using IotTelemetry.Fuzz;

// make fuzz COUNT=n SEED=s: the parsers in process, then the agent through mosquitto; exit 1 on any violation.
// make fuzz-afl: `iott-fuzz write-seeds DIR` writes its starting inputs, `iott-fuzz afl-target` is what AFL++ runs.
if (args is ["write-seeds", var seedDirectory])
{
    Directory.CreateDirectory(seedDirectory);
    for (var i = 0; i < Seed.All.Count; i++) File.WriteAllBytes(Path.Combine(seedDirectory, $"{i}-{Seed.All[i].Kind}"), Seed.All[i].Bytes);
    return 0;
}
if (args is ["afl-target"])
{
    AflTarget.Run();
    return 0;
}
var options = args.Select(a => a.Split('=', 2)).Where(p => p.Length == 2 && p[0].StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p[0][2..], p => p[1]);
var unknown = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) || !a.Contains('=') ||
    a[2..a.IndexOf('=')] is not ("count" or "seed" or "max-rss-mb" or "mode")).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown argument {unknown[0]}: expected --count=N --seed=N --max-rss-mb=N --mode=all|parsers|agent");
    return 2;
}
int Number(string key, int fallback)
{
    if (!options.TryGetValue(key, out var text)) return fallback;
    if (int.TryParse(text, CultureInfo.InvariantCulture, out var n) && n > 0) return n;
    Console.Error.WriteLine($"--{key}: expected a positive whole number, got {text}");
    Environment.Exit(2);
    return 0;
}
var count = Number("count", 100_000);
var seed = Number("seed", 1);
var maxRssMb = Number("max-rss-mb", 400);
var mode = options.GetValueOrDefault("mode", "all");
var failed = false;

if (mode is "all" or "parsers")
{
    Console.WriteLine($"==> parsers in process: {count:N0} mutated payloads, seed {seed} (seeded mutation loop)");
    var p = ParserHarness.Run(count, seed);
    Console.WriteLine($"| payloads | mapped by both parsers | readings | rejections | exceptions | rate |");
    Console.WriteLine($"|---:|---:|---:|---:|---:|---:|");
    Console.WriteLine($"| {p.Payloads:N0} | {2 * p.Payloads:N0} | {p.Readings:N0} | {p.Rejections.Values.Sum():N0} | {p.Failures.Count} | {p.Payloads / p.Elapsed.TotalSeconds:N0}/s |");
    Console.WriteLine("rejections: " + string.Join(", ", p.Rejections.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value:N0}")));
    foreach (var f in p.Failures.Take(20))
        Console.WriteLine($"FAIL {f.Parser} {f.Topic} ({f.Mutations}) payload {Convert.ToHexString(f.Payload)}: {f.Error}");
    failed |= p.Failures.Count > 0;
}

if (mode is "all" or "agent")
{
    Console.WriteLine($"==> the edge agent through mosquitto: {count:N0} mutated payloads, seed {seed}, QoS 1");
    var r = await AgentFuzz.RunAsync(count, seed, maxRssMb, Console.Out);
    var dead = r.DeadLetters.Values.Sum();
    Console.WriteLine("| payloads | acknowledged | received by the agent | messages with readings | readings | dead letters | no numeric metric (Sparkplug) | crashes | peak RSS | rate |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    Console.WriteLine($"| {r.Payloads:N0} | {r.Acknowledged:N0} | {r.Received:N0} | {r.MessagesWithReadings:N0} | {r.Readings:N0} | {dead:N0} | {r.NoTelemetry:N0} | {r.Crashes} | {r.PeakRssKb / 1024.0:N1} MB | {r.Rate:N0} msg/s |");
    Console.WriteLine();
    Console.WriteLine("| dead-letter reason | messages |");
    Console.WriteLine("|---|---:|");
    foreach (var (reason, n) in r.DeadLetters.OrderByDescending(d => d.Value)) Console.WriteLine($"| {reason} | {n:N0} |");
    Console.WriteLine($"accounted: {r.MessagesWithReadings:N0} + {dead:N0} + {r.NoTelemetry:N0} = {r.MessagesWithReadings + dead + r.NoTelemetry:N0} of {r.Payloads:N0}");
    foreach (var v in r.Violations) Console.WriteLine("VIOLATION " + v);
    failed |= r.Violations.Count > 0;
}

Console.WriteLine(failed ? "fuzz: FAILED" : "fuzz: passed");
return failed ? 1 : 0;
