namespace IotTelemetry.Eval;

/// <summary>
/// What one evaluation runs, as <see cref="EvalCommandLine"/> parsed it from
/// <c>--data DIR --labels FILE --out DIR [--profiles FILE] [--detector NAME] [--param K=V]...</c>.
/// </summary>
/// <param name="Tune">Parameters whose value the cross-validation chooses per left-out category, each from its list.</param>
/// <param name="Skab">The SKAB directory to score as well, or null.</param>
internal sealed record EvalArguments(
    string Data, string Labels, string Out, string? Profiles, string Detector, IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string[]> Tune, string? Skab, IReadOnlyDictionary<string, string> MultivariateParameters);
