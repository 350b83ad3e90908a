namespace IotTelemetry.Eval;

/// <summary>The command line: <c>--data DIR --labels FILE --out DIR [--profiles FILE] [--detector NAME] [--param K=V]...</c>.</summary>
internal sealed record EvalArguments(
    string Data, string Labels, string Out, string? Profiles, string Detector, IReadOnlyDictionary<string, string> Parameters)
{
    public const string Usage =
        "usage: IotTelemetry.Eval --data <dir> --labels <combined_windows.json> --out <dir> " +
        "[--profiles <profiles.json>] [--detector learned|zscore] [--param Name=Value]...";

    public static EvalArguments Parse(string[] args)
    {
        string? data = null, labels = null, output = null, profiles = null, detector = null;
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
                case "--param":
                    var eq = value.IndexOf('=');
                    if (eq <= 0) throw new ArgumentException($"--param: expected Name=Value, got '{value}'");
                    parameters[value[..eq]] = value[(eq + 1)..];
                    break;
                default: throw new ArgumentException($"unknown argument '{name}'");
            }
        }
        if (data is null || labels is null || output is null)
            throw new ArgumentException("--data, --labels and --out are required");
        return new EvalArguments(data, labels, output, profiles, detector ?? "learned", parameters);
    }
}
