namespace IotTelemetry.Anomaly;

/// <summary>
/// The multivariate detector of one asset (<see cref="PcaDetector"/>); configuration key <c>Multivariate</c> of
/// <see cref="AnomalyOptions"/>: a list, the first entry whose <see cref="Match"/> matches the asset wins.
/// </summary>
public sealed class MultivariateOptions
{
    /// <summary>Glob over <c>site/asset</c> (<c>*</c> within a segment).</summary>
    public string Match { get; set; } = "*/*";

    /// <summary>The sensors modelled together; empty: every sensor of the asset seen during the warm-up (at most
    /// <see cref="MaxSensors"/>, in order of first reading).</summary>
    public List<string> Sensors { get; set; } = [];

    /// <summary>Upper bound of sensors per asset when <see cref="Sensors"/> is empty.</summary>
    public int MaxSensors { get; set; } = 16;

    /// <summary>Rows (one per reading of the asset's last-updated sensor set) learned before any score: the model is
    /// fitted on them in one go.</summary>
    public int WarmUp { get; set; } = 400;

    /// <summary>One row in this many is kept as a warm-up row, so the warm-up spans <see cref="WarmUp"/> × this many rows
    /// (for example a whole load cycle of a fast-sampled plant) in the memory of <see cref="WarmUp"/> rows.</summary>
    public int WarmUpStride { get; set; } = 1;

    /// <summary>Share of the variance (of the standardized sensors) kept in the principal components.</summary>
    public double Variance { get; set; } = 0.9;

    /// <summary>A sensor whose change over 50 warm-up rows has more than this times the variance of its change
    /// from one row to the next is slow (it wanders, so the warm-up does not sample its normal range) and is left
    /// out of the model; 0: keep every sensor.</summary>
    public double SlowRatio { get; set; } = 3;

    /// <summary>Quantile of the warm-up rows' T² and Q that sets each statistic's control limit.</summary>
    public double Quantile { get; set; } = 0.99;

    /// <summary>EWMA weight of the newest row in the smoothed score (1: no smoothing).</summary>
    public double Smoothing { get; set; } = 0.1;

    /// <summary>After the warm-up, EWMA weight of a normal row in the mean and covariance (0: frozen model). Keep
    /// 1 / rate well above the rows of the asset's slowest normal cycle: a shorter memory forgets the part of the cycle
    /// it is not in, and rows there then alarm.</summary>
    public double LearningRate { get; set; } = 0.0005;

    /// <summary>Rows between two refits of the principal components to the slowly learned covariance.</summary>
    public int RefitEvery { get; set; } = 500;

    /// <summary>Smoothed score (statistic over its control limit, the larger of T² and Q) at which the asset is abnormal.</summary>
    public double AlertScore { get; set; } = 1.0;

    /// <summary>Sensors named in the alert, those contributing most to the deviation.</summary>
    public int TopSensors { get; set; } = 3;

    public Severity Severity { get; set; } = Severity.Warning;
}
