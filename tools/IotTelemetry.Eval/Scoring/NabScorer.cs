namespace IotTelemetry.Eval.Scoring;

/// <summary>
/// Our implementation of the NAB scoring rules: probationary period, first detection per window weighted by
/// the scaled sigmoid of its position, false positives weighted by their distance past the previous window,
/// one threshold per profile optimized over the whole corpus, normalized between the null and perfect detectors.
/// </summary>
public static class NabScorer
{
    /// <summary>The scaled sigmoid <c>S(y) = 2 / (1 + exp(5y)) - 1</c>; -1 beyond three window lengths.</summary>
    public static double ScaledSigmoid(double y) => y > 3.0 ? -1.0 : 2.0 / (1.0 + Math.Exp(5.0 * y)) - 1.0;

    /// <summary>15% of the rows, at most 750: detections in these leading rows are ignored.</summary>
    public static int ProbationRows(int rowCount) => (int)Math.Min(Math.Floor(0.15 * rowCount), 750);

    /// <summary>Scores the corpus under each profile, each with its own optimal threshold.</summary>
    public static IReadOnlyList<ProfileResult> Score(IReadOnlyList<LabeledSeries> corpus, IEnumerable<ScoringProfile> profiles)
    {
        var rows = RowTable.Build(corpus);
        return profiles.Select(p => Sweep(rows, p)).ToList();
    }

    public static ProfileResult Score(IReadOnlyList<LabeledSeries> corpus, ScoringProfile profile) =>
        Sweep(RowTable.Build(corpus), profile);

    /// <summary>The raw score of one corpus at a fixed threshold (detection when score &gt;= threshold).</summary>
    public static double RawAtThreshold(IReadOnlyList<LabeledSeries> corpus, ScoringProfile profile, double threshold) =>
        AtThreshold(RowTable.Build(corpus), profile, threshold).Raw;

    /// <summary>The corpus scored at a fixed threshold, with or without the probationary period.</summary>
    public static ProfileResult ScoreAt(IReadOnlyList<LabeledSeries> corpus, ScoringProfile profile, double threshold, bool probation = true)
    {
        var rows = RowTable.Build(corpus, probation);
        var (raw, tp, fp) = AtThreshold(rows, profile, threshold);
        var perfect = rows.WindowCount * profile.TpWeight * ScaledSigmoid(-1.0);
        return new ProfileResult(profile, threshold, raw, NullScore(rows, profile), perfect, tp, rows.WindowCount - tp, fp);
    }

    /// <summary>
    /// Leave one group out: for each group (e.g. NAB category, the folder of the series name) the threshold is the
    /// one that is best on all the other groups, and the left-out group is scored at it. The raw scores of the
    /// left-out groups are summed and normalized against the null and perfect detectors of the whole corpus, as
    /// NAB sums over its files. <see cref="ProfileResult.Threshold"/> is the mean of the per-group thresholds.
    /// </summary>
    public static ProfileResult CrossValidate(IReadOnlyList<LabeledSeries> corpus, ScoringProfile profile, Func<LabeledSeries, string> group) =>
        CrossValidate([corpus], profile, group, out _);

    /// <summary>
    /// Leave one group out over several candidate settings of a detector (<paramref name="candidates"/>: the same
    /// series scored once per setting, in the same order): for each left-out group the setting and threshold are
    /// the pair that is best on the other groups. <paramref name="chosen"/> gives, per group, the index of the
    /// setting chosen for it.
    /// </summary>
    public static ProfileResult CrossValidate(
        IReadOnlyList<IReadOnlyList<LabeledSeries>> candidates, ScoringProfile profile, Func<LabeledSeries, string> group,
        out IReadOnlyList<(string Group, int Candidate, double Threshold)> chosen)
    {
        if (candidates.Count == 0) throw new ArgumentException("cross-validation needs at least one candidate setting");
        var keys = candidates[0].Select(group).Distinct().ToList();
        if (keys.Count < 2) throw new ArgumentException($"cross-validation needs at least two groups, got {keys.Count}");
        double raw = 0, thresholds = 0;
        int tp = 0, fp = 0;
        var picks = new List<(string, int, double)>();
        foreach (var key in keys)
        {
            var (best, bestRaw, threshold) = (0, double.NegativeInfinity, double.PositiveInfinity);
            for (var c = 0; c < candidates.Count; c++)
            {
                var fit = Sweep(RowTable.Build(candidates[c].Where(s => group(s) != key).ToList()), profile);
                if (fit.Raw > bestRaw) (best, bestRaw, threshold) = (c, fit.Raw, fit.Threshold);
            }
            var (r, t, f) = AtThreshold(RowTable.Build(candidates[best].Where(s => group(s) == key).ToList()), profile, threshold);
            raw += r;
            tp += t;
            fp += f;
            thresholds += double.IsFinite(threshold) ? threshold : 1;
            picks.Add((key, best, threshold));
        }
        chosen = picks;
        var all = RowTable.Build(candidates[0]);
        var perfect = all.WindowCount * profile.TpWeight * ScaledSigmoid(-1.0);
        return new ProfileResult(profile, thresholds / keys.Count, raw, NullScore(all, profile), perfect, tp, all.WindowCount - tp, fp);
    }

    /// <summary>The folder part of a series name (<c>realTweets/x.csv</c>: <c>realTweets</c>), NAB's category.</summary>
    public static string Category(LabeledSeries series)
    {
        var slash = series.Name.LastIndexOf('/');
        return slash < 0 ? "" : series.Name[..slash];
    }

    private static (double Raw, int Tp, int Fp) AtThreshold(RowTable rows, ScoringProfile profile, double threshold)
    {
        var earliest = new int[rows.WindowCount];
        Array.Fill(earliest, int.MaxValue);
        var total = -profile.FnWeight * rows.WindowCount;
        int tp = 0, fp = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows.Score[r] < threshold) continue;
            total += RowDelta(rows, r, profile, earliest, out var kind);
            if (kind == DeltaKind.NewTruePositive) tp++;
            else if (kind == DeltaKind.FalsePositive) fp++;
        }
        return (total, tp, fp);
    }

    private static ProfileResult Sweep(RowTable rows, ScoringProfile profile)
    {
        var order = new int[rows.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = (double[])rows.Score.Clone();
        Array.Sort(keys, order);
        Array.Reverse(order);

        var earliest = new int[rows.WindowCount];
        Array.Fill(earliest, int.MaxValue);
        var total = -profile.FnWeight * rows.WindowCount;
        double best = total, bestThreshold = double.PositiveInfinity;
        int tp = 0, fp = 0, bestTp = 0, bestFp = 0;
        for (var k = 0; k < order.Length;)
        {
            var level = rows.Score[order[k]];
            for (; k < order.Length && rows.Score[order[k]] == level; k++)
            {
                total += RowDelta(rows, order[k], profile, earliest, out var kind);
                if (kind == DeltaKind.NewTruePositive) tp++;
                else if (kind == DeltaKind.FalsePositive) fp++;
            }
            if (total > best)
            {
                best = total;
                bestThreshold = level;
                bestTp = tp;
                bestFp = fp;
            }
        }

        var nullScore = NullScore(rows, profile);
        var perfect = rows.WindowCount * profile.TpWeight * ScaledSigmoid(-1.0);
        return new ProfileResult(profile, bestThreshold, best, nullScore, perfect, bestTp, rows.WindowCount - bestTp, bestFp);
    }

    private enum DeltaKind { FalsePositive, NewTruePositive, EarlierTruePositive, None }

    private static double RowDelta(RowTable rows, int r, ScoringProfile profile, int[] earliest, out DeltaKind kind)
    {
        var w = rows.Window[r];
        if (w < 0)
        {
            kind = DeltaKind.FalsePositive;
            return profile.FpWeight * rows.Weight[r];
        }
        var previous = earliest[w];
        if (previous == int.MaxValue)
        {
            earliest[w] = r;
            kind = DeltaKind.NewTruePositive;
            return profile.TpWeight * rows.Weight[r] + profile.FnWeight;
        }
        if (r < previous)
        {
            earliest[w] = r;
            kind = DeltaKind.EarlierTruePositive;
            return profile.TpWeight * (rows.Weight[r] - rows.Weight[previous]);
        }
        kind = DeltaKind.None;
        return 0;
    }

    /// <summary>The constant-0.5 detector: it detects every scored row or none, whichever scores better.</summary>
    private static double NullScore(RowTable rows, ScoringProfile profile)
    {
        var none = -profile.FnWeight * rows.WindowCount;
        var earliest = new int[rows.WindowCount];
        Array.Fill(earliest, int.MaxValue);
        var all = none;
        for (var r = 0; r < rows.Count; r++) all += RowDelta(rows, r, profile, earliest, out _);
        return Math.Max(none, all);
    }

    /// <summary>
    /// Every scored (post-probation) row of the corpus in file order: its score, its window (global index, -1 if
    /// none) and its unweighted value, <c>S(y)</c> inside a window, <c>S(y)</c> past the previous window or -1.
    /// </summary>
    private sealed class RowTable
    {
        public required double[] Score { get; init; }
        public required int[] Window { get; init; }
        public required double[] Weight { get; init; }
        public required int WindowCount { get; init; }
        public int Count => Score.Length;

        public static RowTable Build(IReadOnlyList<LabeledSeries> corpus, bool probation = true)
        {
            var score = new List<double>();
            var window = new List<int>();
            var weight = new List<double>();
            var windowBase = 0;
            foreach (var series in corpus)
            {
                if (series.Scores.Length != series.TimestampsMicros.Length)
                    throw new ArgumentException(
                        $"{series.Name}: expected one score per row ({series.TimestampsMicros.Length}), got {series.Scores.Length}");
                var windowOfRow = series.WindowOfRows();
                var n = windowOfRow.Length;
                var first = new int[series.Windows.Count];
                var last = new int[series.Windows.Count];
                Array.Fill(first, -1);
                for (var i = 0; i < n; i++)
                {
                    var w = windowOfRow[i];
                    if (w < 0) continue;
                    if (first[w] < 0) first[w] = i;
                    last[w] = i;
                }

                var skipped = probation ? ProbationRows(n) : 0;
                var previousWindow = -1;
                for (var i = 0; i < n; i++)
                {
                    var w = windowOfRow[i];
                    if (w >= 0) previousWindow = w;
                    if (i < skipped) continue;
                    double value;
                    if (w >= 0)
                    {
                        var width = last[w] - first[w] + 1;
                        value = ScaledSigmoid(-(double)(last[w] - i + 1) / width);
                    }
                    else if (previousWindow >= 0)
                    {
                        var width = last[previousWindow] - first[previousWindow] + 1;
                        value = ScaledSigmoid((double)(i - last[previousWindow]) / Math.Max(1, width - 1));
                    }
                    else value = -1.0;
                    score.Add(series.Scores[i]);
                    window.Add(w < 0 ? -1 : windowBase + w);
                    weight.Add(value);
                }
                windowBase += series.Windows.Count;
            }
            return new RowTable { Score = [.. score], Window = [.. window], Weight = [.. weight], WindowCount = windowBase };
        }
    }
}
