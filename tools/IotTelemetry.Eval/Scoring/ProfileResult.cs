namespace IotTelemetry.Eval.Scoring;

/// <summary>The outcome of one profile over a corpus.</summary>
/// <param name="Profile">The profile scored.</param>
/// <param name="Threshold">The score threshold (detection when score &gt;= threshold) that maximizes <paramref name="Raw"/>.</param>
/// <param name="Raw">The summed raw score at that threshold.</param>
/// <param name="Null">The raw score of the detector that always outputs 0.5, at its best threshold.</param>
/// <param name="Perfect">The raw score of detecting every window at its first row.</param>
/// <param name="TruePositives">Windows detected at the chosen threshold.</param>
/// <param name="FalseNegatives">Windows missed at the chosen threshold.</param>
/// <param name="FalsePositives">Detections outside every window at the chosen threshold.</param>
public sealed record ProfileResult(
    ScoringProfile Profile, double Threshold, double Raw, double Null, double Perfect,
    int TruePositives, int FalseNegatives, int FalsePositives)
{
    /// <summary><c>100 * (raw - null) / (perfect - null)</c>.</summary>
    public double Normalized => Perfect == Null ? 0 : 100.0 * (Raw - Null) / (Perfect - Null);
}
