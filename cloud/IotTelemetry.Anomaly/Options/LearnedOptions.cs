namespace IotTelemetry.Anomaly;

/// <summary>
/// The online learning detector (<see cref="LearnedDetector"/>); configuration key <c>Learned</c> of a rule.
/// The defaults are the values tuned on the shared NAB series; usually only <see cref="AlertScore"/>,
/// <see cref="Severity"/> and perhaps <see cref="Suppression"/> need setting.
/// </summary>
public sealed class LearnedOptions
{
    /// <summary>Score at or above which the detector reports an anomaly (and the engine raises an alert).</summary>
    public double AlertScore { get; set; } = 0.5;

    /// <summary>Readings after a reported anomaly during which the score is held at 0 (see <see cref="SuppressionHold"/>).</summary>
    public int Suppression { get; set; } = 110;

    /// <summary>Readings seen before any score is emitted.</summary>
    public int WarmUp { get; set; } = 100;

    public Severity Severity { get; set; } = Severity.Warning;

    /// <summary>EWMA weight of the newest reading in the fast forecast.</summary>
    public double FastAlpha { get; set; } = 0.07;

    /// <summary>EWMA weight of the newest reading in the slow level.</summary>
    public double SlowAlpha { get; set; } = 0.0012;

    /// <summary>EWMA weight of the newest reading in the short-term level compared with the slow level.</summary>
    public double ShortAlpha { get; set; } = 0.15;

    /// <summary>Readings over which the distribution of each raw measure is learned (exponential horizon).</summary>
    public double LikelihoodHorizon { get; set; } = 1500;

    /// <summary>EWMA weight of the newest raw measure in the recent average judged against that distribution.</summary>
    public double RecentAlpha { get; set; } = 0.35;

    /// <summary>Floor of a raw measure's scale as a share of its largest recent deviation.</summary>
    public double PeakFloor { get; set; } = 0.1;

    /// <summary>Factor by which that largest deviation fades per reading.</summary>
    public double PeakDecay { get; set; } = 0.99993;

    /// <summary>Weight of the forecast-error surprise.</summary>
    public double ForecastWeight { get; set; } = 1;

    /// <summary>Weight of the level-shift surprise.</summary>
    public double ShiftWeight { get; set; } = 0.7;

    /// <summary>Weight of the range-novelty surprise.</summary>
    public double NoveltyWeight { get; set; } = 1;

    /// <summary>Readings averaged into one value of the slower view; 0 or 1 turns it off.</summary>
    public int BlockSize { get; set; } = 5;

    /// <summary>Weight of the slower view's surprise.</summary>
    public double BlockWeight { get; set; } = 0.9;

    /// <summary>Slots per day of the time-of-day profile (288: five minutes); 0 turns it off.</summary>
    public int DailySlots { get; set; } = 288;

    /// <summary>Weight of the surprise against the same time of day on earlier days.</summary>
    public double SeasonalWeight { get; set; } = 1;

    /// <summary>EWMA weight of today's value in a time-of-day slot's mean.</summary>
    public double SeasonalAlpha { get; set; } = 0.2;

    /// <summary>Share of the surprise usually seen around this time of day that is subtracted.</summary>
    public double UsualWeight { get; set; } = 0.4;

    /// <summary>Slots either side of the current one searched for the usual surprise.</summary>
    public int UsualReach { get; set; } = 6;

    /// <summary>Factor by which a slot's usual surprise fades each day.</summary>
    public double UsualDecay { get; set; } = 0.9;

    /// <summary>Surprise (-log10 of a tail probability) that maps to a score of 1.</summary>
    public double SurpriseScale { get; set; } = 10;

    /// <summary>While the score stays at or above this share of <see cref="AlertScore"/> the suppression does not
    /// run down (the event is still going on), for at most three times <see cref="Suppression"/>; 0 turns it off.</summary>
    public double SuppressionHold { get; set; } = 0.7;

    /// <summary>Surprise of the level-transition detector that maps to a score of 1, as <see cref="SurpriseScale"/>
    /// does for the other views; 0 turns that detector off.</summary>
    public double TransitionScale { get; set; } = 7.2;

    /// <summary>Levels between which the transition detector counts moves: bins of half the first step between two
    /// distinct readings, merged in pairs whenever a reading leaves the range they cover; even, in [2, 64]. Three
    /// such sets of bins, shifted by a third of a bin, are averaged.</summary>
    public int TransitionBins { get; set; } = 8;

    /// <summary>The transition detector speaks only for a reading whose step from the previous reading is at least
    /// this many times the mean absolute step (exponentially weighted over <see cref="TransitionHorizon"/> readings,
    /// each step clipped at this many times the mean): a step of Gaussian noise reaches 7 × its mean (5.6 standard
    /// deviations) about twice in 100 million readings, a change of level does it in one reading. Its counts and
    /// tail still learn from every reading. 0: every reading (noise on a plant's fast sensors then raises it).</summary>
    public double TransitionMinStep { get; set; } = 7;

    /// <summary>Readings over which the transition detector's counts fade (exponential horizon).</summary>
    public double TransitionHorizon { get; set; } = 10_000;
}
