namespace IotTelemetry.Anomaly;

/// <summary>The online learning detector (<see cref="LearnedDetector"/>); configuration key <c>Learned</c> of a rule.</summary>
public sealed class LearnedOptions
{
    /// <summary>Readings seen before any score is emitted.</summary>
    public int WarmUp { get; set; } = 150;

    /// <summary>Smoothing of the fast forecast (EWMA weight of the newest reading).</summary>
    public double FastAlpha { get; set; } = 0.05;

    /// <summary>Smoothing of the slow level.</summary>
    public double SlowAlpha { get; set; } = 0.001;

    /// <summary>Smoothing of the short-term level compared with the slow level.</summary>
    public double ShortAlpha { get; set; } = 0.2;

    /// <summary>Readings over which the distribution of each raw measure is learned (exponential horizon).</summary>
    public double LikelihoodHorizon { get; set; } = 1000;

    /// <summary>Smoothing of the recent raw measure compared with that distribution.</summary>
    public double RecentAlpha { get; set; } = 0.3;

    /// <summary>Weight of the forecast-error surprise.</summary>
    public double ForecastWeight { get; set; } = 1;

    /// <summary>Weight of the level-shift surprise against the forecast-error surprise.</summary>
    public double ShiftWeight { get; set; } = 1;

    /// <summary>Weight of the range-novelty surprise.</summary>
    public double NoveltyWeight { get; set; } = 1;

    /// <summary>Readings averaged into one value of the second, slower view; 0 or 1 turns it off.</summary>
    public int BlockSize { get; set; } = 8;

    /// <summary>Weight of the block view's surprise.</summary>
    public double BlockWeight { get; set; } = 0.7;

    /// <summary>Surprise (-log10 of the tail probability) that maps to a score of 1.</summary>
    public double SurpriseScale { get; set; } = 10;

    /// <summary>Score at or above which the detector reports an anomaly (and the engine raises an alert).</summary>
    public double AlertScore { get; set; } = 0.5;

    /// <summary>Readings after a reported anomaly during which scores are held at 0.</summary>
    public int Suppression { get; set; } = 75;

    public bool WarmAlpha { get; set; } = true;
    public bool WarmLikelihood { get; set; } = true;

    public int DailySlots { get; set; } = 288;
    public double SeasonalWeight { get; set; } = 1.5;
    public double SeasonalAlpha { get; set; } = 0.3;
    public double UsualWeight { get; set; }
    public double UsualDecay { get; set; } = 0.9;

    public int SeasonalCombine { get; set; }

    public Severity Severity { get; set; } = Severity.Warning;
}
