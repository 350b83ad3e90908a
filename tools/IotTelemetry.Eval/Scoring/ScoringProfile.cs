namespace IotTelemetry.Eval.Scoring;

/// <summary>The weights of one NAB scoring profile (<c>profiles.json</c>: <c>CostMatrix</c>).</summary>
public sealed record ScoringProfile(string Name, double TpWeight, double FpWeight, double FnWeight)
{
    public static ScoringProfile Standard { get; } = new("standard", 1.0, 0.11, 1.0);
    public static ScoringProfile RewardLowFpRate { get; } = new("reward_low_FP_rate", 1.0, 0.22, 1.0);
    public static ScoringProfile RewardLowFnRate { get; } = new("reward_low_FN_rate", 1.0, 0.11, 2.0);

    public static IReadOnlyList<ScoringProfile> Defaults { get; } = [Standard, RewardLowFpRate, RewardLowFnRate];
}
