namespace IotTelemetry.Eval;

/// <summary>The command line: <c>--data DIR --labels FILE --out DIR [--profiles FILE] [--detector NAME] [--param K=V]...</c>.</summary>
/// <param name="Tune">Parameters whose value the cross-validation chooses per left-out category, each from its list.</param>
/// <param name="Skab">The SKAB directory to score as well, or null.</param>
internal sealed record EvalArguments(
    string Data, string Labels, string Out, string? Profiles, string Detector, IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string[]> Tune, string? Skab, IReadOnlyDictionary<string, string> MultivariateParameters)
{
    public const string Usage =
        "usage: IotTelemetry.Eval --data <dir> --labels <combined_windows.json> --out <dir> " +
        "[--profiles <profiles.json>] [--detector learned|zscore] [--param Name=Value]... [--tune Name=v1,v2,...]... [--skab <dir>] [--mvparam Name=Value]... " +
        "(--data '' scores SKAB only)";

    public static EvalArguments Parse(string[] args)
    {
        string? data = null, labels = null, output = null, profiles = null, detector = null, skab = null;
        var mv = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var tune = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length) throw new ArgumentException($"{name}: expected a value after it, got the end of the arguments");
            var value = args[++i];
            switch (name)
            {
                case "--data": data = value; break;
                case "--labels": labels = value; break;
                case "--out": output = value; break;
                case "--profiles": profiles = value; break;
                case "--detector": detector = value; break;
                case "--param": AddPair(parameters, name, value); break;
                case "--mvparam": AddPair(mv, name, value); break;
                case "--skab": skab = value.Length == 0 ? null : value; break;
                case "--tune":
                    var at = value.IndexOf('=');
                    if (at <= 0 || at == value.Length - 1) throw new ArgumentException($"--tune: expected Name=v1,v2,..., got '{value}'");
                    tune[value[..at]] = value[(at + 1)..].Split(',');
                    break;
                default: throw new ArgumentException($"unknown argument '{name}'");
            }
        }
        if (data is null || labels is null || output is null)
            throw new ArgumentException("--data, --labels and --out are required");
        return new EvalArguments(data, labels, output, profiles, detector ?? "learned", parameters, tune, skab, mv);
    }

    private static void AddPair(Dictionary<string, string> into, string option, string value)
    {
        var eq = value.IndexOf('=');
        if (eq <= 0) throw new ArgumentException($"{option}: expected Name=Value, got '{value}'");
        into[value[..eq]] = value[(eq + 1)..];
    }
}
