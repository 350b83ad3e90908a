using System.Globalization;
using IotTelemetry.Anomaly.Internal;

namespace IotTelemetry.Anomaly;

/// <summary>Checks <see cref="AnomalyOptions"/> up front; each message names the configuration key, the expectation and the value.</summary>
public static class AnomalyOptionsValidator
{
    public static IReadOnlyList<string> Validate(AnomalyOptions options, string prefix = AnomalyOptions.SectionName)
    {
        var e = new List<string>();
        if (options.Rules is null) e.Add($"{prefix}:Rules must be a list, got null");
        else
            for (var i = 0; i < options.Rules.Count; i++)
                ValidateRule(options.Rules[i], $"{prefix}:Rules:{i}", e);
        if (options.Correlations is null) e.Add($"{prefix}:Correlations must be a list, got null");
        else
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < options.Correlations.Count; i++)
                ValidateCorrelation(options.Correlations[i], $"{prefix}:Correlations:{i}", names, e);
        }
        if (options.Multivariate is null) e.Add($"{prefix}:Multivariate must be a list, got null");
        else
            for (var i = 0; i < options.Multivariate.Count; i++)
                ValidateMultivariate(options.Multivariate[i], $"{prefix}:Multivariate:{i}", e);
        if (options.Alerts is null) e.Add($"{prefix}:Alerts must be an object, got null");
        else
        {
            if (options.Alerts.UpdateInterval <= TimeSpan.Zero)
                e.Add($"{prefix}:Alerts:UpdateInterval must be > 0 (at most one Updated per interval), got {options.Alerts.UpdateInterval}");
            NonNegative(e, $"{prefix}:Alerts:CoolDown", options.Alerts.CoolDown);
        }
        return e;
    }

    private static void ValidateRule(SensorRuleOptions? rule, string key, List<string> e)
    {
        if (rule is null)
        {
            e.Add($"{key} must be an object, got null");
            return;
        }
        if (!Glob.IsValid(rule.Match, 3))
            e.Add($"{key}:Match must be a glob of three '/'-separated segments (site/asset/sensor), got '{rule.Match}'");
        if (rule.Limits is { } l)
        {
            if (l.Low is null && l.High is null) e.Add($"{key}:Limits must set Low or High, got neither");
            if (l.Low is { } lo && l.High is { } hi && !(lo < hi)) e.Add($"{key}:Limits:Low must be < High ({F(hi)}), got {F(lo)}");
            if (!(l.Hysteresis >= 0)) e.Add($"{key}:Limits:Hysteresis must be >= 0, got {F(l.Hysteresis)}");
        }
        if (rule.ZScore is { } z)
        {
            Positive(e, $"{key}:ZScore:Sigma", z.Sigma);
            if (z.Sigma > 0 && !(z.ClearHysteresis >= 0 && z.ClearHysteresis < z.Sigma))
                e.Add($"{key}:ZScore:ClearHysteresis must be >= 0 and < Sigma ({F(z.Sigma)}), got {F(z.ClearHysteresis)}");
            if (z.Window < 2) e.Add($"{key}:ZScore:Window must be >= 2, got {z.Window}");
            if (z.WarmUp < 2) e.Add($"{key}:ZScore:WarmUp must be >= 2, got {z.WarmUp}");
            if (z.Persistence < 1) e.Add($"{key}:ZScore:Persistence must be >= 1, got {z.Persistence}");
            Positive(e, $"{key}:ZScore:Clip", z.Clip);
            Positive(e, $"{key}:ZScore:MinStdDev", z.MinStdDev);
        }
        if (rule.RateOfChange is { } r) Positive(e, $"{key}:RateOfChange:MaxPerSecond", r.MaxPerSecond);
        if (rule.Stuck is { } s)
        {
            if (s.Count < 2) e.Add($"{key}:Stuck:Count must be >= 2, got {s.Count}");
            if (!(s.Tolerance >= 0)) e.Add($"{key}:Stuck:Tolerance must be >= 0, got {F(s.Tolerance)}");
        }
        if (rule.Gap is { } g)
        {
            NonNegative(e, $"{key}:Gap:ExpectedInterval", g.ExpectedInterval);
            if (!(g.Intervals >= 1)) e.Add($"{key}:Gap:Intervals must be >= 1, got {F(g.Intervals)}");
        }
        if (rule.Learned is { } m)
        {
            if (m.WarmUp < 0) e.Add($"{key}:Learned:WarmUp must be >= 0, got {m.WarmUp}");
            if (!(m.AlertScore > 0 && m.AlertScore <= 1)) e.Add($"{key}:Learned:AlertScore must be in (0, 1], got {F(m.AlertScore)}");
            if (m.Suppression < 0) e.Add($"{key}:Learned:Suppression must be >= 0, got {m.Suppression}");
            NonNegative(e, $"{key}:Learned:SuppressionHold", m.SuppressionHold);
            Fraction(e, $"{key}:Learned:FastAlpha", m.FastAlpha);
            Fraction(e, $"{key}:Learned:SlowAlpha", m.SlowAlpha);
            Fraction(e, $"{key}:Learned:ShortAlpha", m.ShortAlpha);
            Fraction(e, $"{key}:Learned:RecentAlpha", m.RecentAlpha);
            if (!(m.LikelihoodHorizon > 1)) e.Add($"{key}:Learned:LikelihoodHorizon must be > 1, got {F(m.LikelihoodHorizon)}");
            Positive(e, $"{key}:Learned:SurpriseScale", m.SurpriseScale);
            Fraction(e, $"{key}:Learned:SeasonalAlpha", m.SeasonalAlpha);
            if (m.BlockSize < 0) e.Add($"{key}:Learned:BlockSize must be >= 0, got {m.BlockSize}");
            if (m.DailySlots < 0 || m.DailySlots > 86_400) e.Add($"{key}:Learned:DailySlots must be in [0, 86400], got {m.DailySlots}");
            if (m.UsualReach < 0) e.Add($"{key}:Learned:UsualReach must be >= 0, got {m.UsualReach}");
            if (!(m.UsualDecay >= 0 && m.UsualDecay <= 1)) e.Add($"{key}:Learned:UsualDecay must be in [0, 1], got {F(m.UsualDecay)}");
            NonNegative(e, $"{key}:Learned:ForecastWeight", m.ForecastWeight);
            NonNegative(e, $"{key}:Learned:ShiftWeight", m.ShiftWeight);
            NonNegative(e, $"{key}:Learned:NoveltyWeight", m.NoveltyWeight);
            NonNegative(e, $"{key}:Learned:BlockWeight", m.BlockWeight);
            NonNegative(e, $"{key}:Learned:SeasonalWeight", m.SeasonalWeight);
            NonNegative(e, $"{key}:Learned:UsualWeight", m.UsualWeight);
            NonNegative(e, $"{key}:Learned:PeakFloor", m.PeakFloor);
            if (!(m.PeakDecay >= 0 && m.PeakDecay <= 1)) e.Add($"{key}:Learned:PeakDecay must be in [0, 1], got {F(m.PeakDecay)}");
            NonNegative(e, $"{key}:Learned:TransitionScale", m.TransitionScale);
            NonNegative(e, $"{key}:Learned:TransitionMinStep", m.TransitionMinStep);
            if (m.TransitionBins < 2 || m.TransitionBins > 64 || m.TransitionBins % 2 != 0)
                e.Add($"{key}:Learned:TransitionBins must be even and in [2, 64], got {m.TransitionBins}");
            if (!(m.TransitionHorizon > 1) || double.IsInfinity(m.TransitionHorizon))
                e.Add($"{key}:Learned:TransitionHorizon must be > 1 and finite, got {F(m.TransitionHorizon)}");
        }
    }

    private static void ValidateMultivariate(MultivariateOptions? m, string key, List<string> e)
    {
        if (m is null)
        {
            e.Add($"{key} must be an object, got null");
            return;
        }
        if (!Glob.IsValid(m.Match, 2))
            e.Add($"{key}:Match must be a glob of two '/'-separated segments (site/asset), got '{m.Match}'");
        if (m.Sensors is null) e.Add($"{key}:Sensors must be a list (empty: every sensor of the asset), got null");
        else
        {
            if (m.Sensors.Count == 1) e.Add($"{key}:Sensors must list at least 2 sensor names or none, got 1");
            for (var i = 0; i < m.Sensors.Count; i++)
                if (string.IsNullOrWhiteSpace(m.Sensors[i]) || m.Sensors[i].Contains('/'))
                    e.Add($"{key}:Sensors:{i} must be a sensor name without '/', got '{m.Sensors[i]}'");
        }
        if (m.MaxSensors < 2 || m.MaxSensors > 64) e.Add($"{key}:MaxSensors must be in [2, 64], got {m.MaxSensors}");
        if (m.WarmUp < 10) e.Add($"{key}:WarmUp must be >= 10 rows, got {m.WarmUp}");
        if (m.WarmUpStride < 1) e.Add($"{key}:WarmUpStride must be >= 1, got {m.WarmUpStride}");
        Fraction(e, $"{key}:Variance", m.Variance);
        if (!(m.SlowRatio == 0 || (m.SlowRatio > 1 && double.IsFinite(m.SlowRatio))))
            e.Add($"{key}:SlowRatio must be 0 (keep every sensor) or a finite number > 1, got {F(m.SlowRatio)}");
        if (!(m.Quantile > 0 && m.Quantile < 1)) e.Add($"{key}:Quantile must be in (0, 1), got {F(m.Quantile)}");
        Fraction(e, $"{key}:Smoothing", m.Smoothing);
        if (!(m.LearningRate >= 0 && m.LearningRate < 1)) e.Add($"{key}:LearningRate must be in [0, 1), got {F(m.LearningRate)}");
        if (m.RefitEvery < 1) e.Add($"{key}:RefitEvery must be >= 1, got {m.RefitEvery}");
        Positive(e, $"{key}:AlertScore", m.AlertScore);
        if (m.TopSensors < 1) e.Add($"{key}:TopSensors must be >= 1, got {m.TopSensors}");
    }

    private static void ValidateCorrelation(CorrelationRuleOptions? c, string key, HashSet<string> names, List<string> e)
    {
        if (c is null)
        {
            e.Add($"{key} must be an object, got null");
            return;
        }
        if (string.IsNullOrWhiteSpace(c.Name)) e.Add($"{key}:Name must be a non-empty rule name, got '{c.Name}'");
        else if (!names.Add(c.Name)) e.Add($"{key}:Name must be unique, got '{c.Name}' twice");
        if (!Glob.IsValid(c.Match, 2))
            e.Add($"{key}:Match must be a glob of two '/'-separated segments (site/asset), got '{c.Match}'");
        if (c.Sensors is null || c.Sensors.Count < 2)
            e.Add($"{key}:Sensors must list at least 2 sensor names, got {c.Sensors?.Count ?? 0}");
        else
            for (var i = 0; i < c.Sensors.Count; i++)
                if (string.IsNullOrWhiteSpace(c.Sensors[i]) || c.Sensors[i].Contains('/'))
                    e.Add($"{key}:Sensors:{i} must be a sensor name without '/', got '{c.Sensors[i]}'");
        if (c.Window <= TimeSpan.Zero) e.Add($"{key}:Window must be > 0, got {c.Window}");
    }

    private static void Positive(List<string> e, string key, double v)
    {
        if (!(v > 0) || double.IsInfinity(v)) e.Add($"{key} must be > 0, got {F(v)}");
    }

    private static void Fraction(List<string> e, string key, double v)
    {
        if (!(v > 0 && v <= 1)) e.Add($"{key} must be in (0, 1], got {F(v)}");
    }

    private static void NonNegative(List<string> e, string key, double v)
    {
        if (!(v >= 0) || double.IsInfinity(v)) e.Add($"{key} must be >= 0, got {F(v)}");
    }

    private static void NonNegative(List<string> e, string key, TimeSpan v)
    {
        if (v < TimeSpan.Zero) e.Add($"{key} must be >= 0, got {v}");
    }

    private static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
}
