using System.CommandLine;
using System.CommandLine.Parsing;

namespace IotTelemetry.Eval;

/// <summary>
/// The command line of the evaluation: the NAB/SKAB run (<c>--data --labels --out</c>, as <c>make eval</c> passes them) and
/// <c>bench [sensors] [readingsPerSensor] [set]</c>. A wrong argument prints its error, naming the option and what was
/// expected, then where the help is, and exits 2; so does a failure while running (a missing file, a bad CSV, an unknown
/// parameter). <c>--help</c> prints every option.
/// </summary>
public static class EvalCommandLine
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var data = new Option<string>("--data") { Required = true, HelpName = "dir", Description = "a NAB-layout directory of labeled CSV series ('' scores SKAB only)" };
        var labels = new Option<string>("--labels") { Required = true, HelpName = "combined_windows.json", Description = "the anomaly windows of every series" };
        var outDir = new Option<string>("--out") { Required = true, HelpName = "dir", Description = "where the scored series and details.txt are written" };
        var profiles = new Option<string>("--profiles") { HelpName = "profiles.json", Description = "NAB's scoring profiles [default: standard, reward_low_FP_rate, reward_low_FN_rate]" };
        var detector = new Option<string>("--detector") { HelpName = string.Join('|', ScorerFactory.Names), DefaultValueFactory = _ => "learned", Description = "the detector to score" };
        detector.Validators.Add(r =>
        {
            var name = r.GetValueOrDefault<string>();
            if (!ScorerFactory.Names.Contains(name)) r.AddError($"--detector: expected one of {string.Join(", ", ScorerFactory.Names)}, got '{name}'");
        });
        var parameters = Pairs("--param", "a detector option, e.g. Threshold=0.9 (repeatable)");
        var tune = Pairs("--tune", "an option the cross-validation chooses per left-out category from the values, e.g. Threshold=0.8,0.9 (repeatable)", list: true);
        var skab = new Option<string>("--skab") { HelpName = "dir", Description = "a SKAB directory to score the multivariate detector on as well ('' for none)" };
        var mv = Pairs("--mvparam", "a multivariate detector option for SKAB (repeatable)");
        var root = new RootCommand("Streams labeled CSV series through a detector and scores it with our implementation of the NAB rules; SKAB in its own protocol.")
        {
            data, labels, outDir, profiles, detector, parameters, tune, skab, mv, BenchCommand(output),
        };
        root.SetAction(r => EvalRun.Execute(new EvalArguments(
            r.GetValue(data)!, r.GetValue(labels)!, r.GetValue(outDir)!, r.GetValue(profiles), r.GetValue(detector)!,
            Dictionary(r.GetValue(parameters)), Lists(r.GetValue(tune)), r.GetValue(skab) is { Length: > 0 } s ? s : null, Dictionary(r.GetValue(mv))), output));

        // No response files: a path starting with @ is taken as it is.
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0 && result.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var e in result.Errors) error.WriteLine(e.Message);
            var command = result.CommandResult.Command;
            error.WriteLine($"see: iott-eval {(command == root ? "" : command.Name + " ")}--help");
            return 2;
        }
        try
        {
            return result.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidOperationException or InvalidDataException or System.Text.Json.JsonException)
        {
            error.WriteLine(e.Message);
            error.WriteLine("see: iott-eval --help");
            return 2;
        }
    }

    private static Command BenchCommand(TextWriter output)
    {
        var sensors = Count("sensors", 1000, "sensors, readings interleaved across them");
        var perSensor = Count("readingsPerSensor", 2000, "readings per sensor; the second half is timed");
        var set = new Argument<string>("set") { Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "full", Description = "full (every detector), learned (no limits), any other word: without the learned detector" };
        var bench = new Command("bench", "the full detector set on every sensor: readings/s on one thread, bytes allocated per reading, memory per sensor") { sensors, perSensor, set };
        bench.SetAction(r => Bench.Run(r.GetValue(sensors), r.GetValue(perSensor), r.GetValue(set)!, output));
        return bench;
    }

    /// <summary>An optional whole number of at least 1.</summary>
    private static Argument<int> Count(string name, int defaultValue, string description) => new(name)
    {
        Arity = ArgumentArity.ZeroOrOne,
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
            if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 1) return value;
            r.AddError($"bench: expected {name} as a whole number of at least 1, got '{text}'");
            return defaultValue;
        },
    };

    /// <summary>A repeatable <c>Name=Value</c> option (<paramref name="list"/>: <c>Name=v1,v2,...</c>), each occurrence checked.</summary>
    private static Option<string[]> Pairs(string name, string description, bool list = false)
    {
        var option = new Option<string[]>(name) { HelpName = list ? "Name=v1,v2,..." : "Name=Value", Description = description, AllowMultipleArgumentsPerToken = false };
        option.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                var at = token.Value.IndexOf('=', StringComparison.Ordinal);
                if (at <= 0 || (list && at == token.Value.Length - 1))
                    r.AddError($"{name}: expected {option.HelpName}, got '{token.Value}'");
            }
        });
        return option;
    }

    private static Dictionary<string, string> Dictionary(string[]? pairs)
    {
        var into = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in pairs ?? []) into[p[..p.IndexOf('=', StringComparison.Ordinal)]] = p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..];
        return into;
    }

    private static Dictionary<string, string[]> Lists(string[]? pairs) =>
        Dictionary(pairs).ToDictionary(p => p.Key, p => p.Value.Split(','), StringComparer.OrdinalIgnoreCase);
}
