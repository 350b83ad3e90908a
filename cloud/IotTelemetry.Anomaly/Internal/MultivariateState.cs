namespace IotTelemetry.Anomaly.Internal;

/// <summary>
/// The multivariate detector of one asset inside the engine: the latest good value of each modelled sensor, one
/// row per round (whenever the first sensor reports again with every sensor seen), one alert naming the sensors
/// that contribute most. With no <see cref="MultivariateOptions.Sensors"/> listed, the asset's sensors are those
/// that report before the first sensor reports a second time (at most <see cref="MultivariateOptions.MaxSensors"/>).
/// </summary>
internal sealed class MultivariateState
{
    private readonly MultivariateOptions _o;
    private readonly string _site, _asset;
    private readonly AlertPolicyOptions _policy;
    private readonly AlertBook _book;
    private readonly List<string> _names;
    private readonly bool _enrolling;
    private double[] _row = [];
    private bool[] _seen = [];
    private int _seenCount;
    private PcaDetector? _detector;
    private ConditionTracker? _tracker;
    private int[] _top = [];

    public MultivariateState(MultivariateOptions options, string site, string asset, AlertPolicyOptions policy, AlertBook book)
    {
        (_o, _site, _asset, _policy, _book) = (options, site, asset, policy, book);
        _names = [.. options.Sensors];
        _enrolling = _names.Count == 0;
        if (!_enrolling) Start();
    }

    public ConditionTracker? Tracker => _tracker;

    /// <summary>The detector, once the asset's sensors are known.</summary>
    public PcaDetector? Detector => _detector;

    /// <summary>The sensors modelled, in slot order.</summary>
    public IReadOnlyList<string> Names => _names;

    public void Save(BinaryWriter w)
    {
        w.Write(_names.Count);
        foreach (var n in _names) w.Write(n);
        w.Write(_detector is not null);
        if (_detector is null) return;
        w.Write(_row);
        for (var i = 0; i < _seen.Length; i++) w.Write(_seen[i]);
        _detector.Save(w);
    }

    /// <summary>Continues from a <see cref="Save"/>; the sensor set is the saved one.</summary>
    public void Load(BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count < 0 || count > 64) throw new InvalidDataException($"model snapshot: expected 0..64 sensors of an asset, got {count}");
        var names = new List<string>();
        for (var i = 0; i < count; i++) names.Add(r.ReadString());
        if (!_enrolling && !names.SequenceEqual(_names, StringComparer.Ordinal))
            throw new InvalidDataException($"model snapshot: sensors {string.Join(",", names)} differ from the configured {string.Join(",", _names)}");
        _names.Clear();
        _names.AddRange(names);
        if (!r.ReadBoolean()) return;
        Start();
        r.ReadDoubles(_names.Count).CopyTo(_row, 0);
        _seenCount = 0;
        for (var i = 0; i < _seen.Length; i++) if (_seen[i] = r.ReadBoolean()) _seenCount++;
        _detector!.Load(r);
    }

    /// <summary>The slot of a sensor, -1 if it is not modelled; while enrolling, a new sensor takes the next slot.</summary>
    public int SlotOf(string sensor)
    {
        var slot = _names.IndexOf(sensor);
        if (slot >= 0 || !_enrolling || _detector is not null || _names.Count >= _o.MaxSensors) return slot;
        _names.Add(sensor);
        return _names.Count - 1;
    }

    public void Observe(int slot, long ts, double value, List<AlertEvent> output)
    {
        if (_detector is null)
        {
            // Enrolling: the first sensor reporting again closes the set (a single sensor is no joint behaviour).
            if (slot != 0 || _names.Count < 2) return;
            Start();
        }
        if (slot == 0 && _seenCount == _row.Length)
        {
            var score = _detector!.Observe(_row);
            if (_detector.Fitted)
            {
                _top = _detector.TopContributors(_o.TopSensors);
                var state = score >= _o.AlertScore ? DetectorState.Abnormal : DetectorState.Normal;
                _tracker!.Step(new Verdict(state, score, _o.AlertScore), ts, _row[_top[0]], output);
            }
        }
        _row[slot] = value;
        if (!_seen[slot])
        {
            _seen[slot] = true;
            _seenCount++;
        }
    }

    private void Start()
    {
        _row = new double[_names.Count];
        _seen = new bool[_names.Count];
        _detector = new PcaDetector(_o, _names.Count);
        _tracker = new ConditionTracker(_site, _asset, RuleNames.Multivariate, RuleNames.Multivariate, _o.Severity,
            AlertMessages.Multivariate(() => [.. _top.Select(i => _names[i])]), _policy, _book);
    }
}
