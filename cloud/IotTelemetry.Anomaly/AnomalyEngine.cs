using IotTelemetry.Anomaly.Internal;
using IotTelemetry.Common.Readings;

namespace IotTelemetry.Anomaly;

/// <summary>
/// The façade the consumer service calls: <see cref="Process(Reading)"/> per reading (in order per sensor),
/// <see cref="Tick(long)"/> periodically (data gaps produce no reading). Not thread-safe: one engine per
/// consumer thread, with all readings of one sensor going to the same engine (the Kafka key guarantees it).
/// Each call returns the alert events it produced, in a list that is reused by the next call.
/// </summary>
public sealed class AnomalyEngine
{
    private readonly AnomalyOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<(string Site, string Asset, string Sensor), SensorState> _sensors = [];
    private readonly Dictionary<(string Site, string Asset), AssetState> _assets = [];
    private readonly List<AlertEvent> _events = [];

    /// <summary>Validates <paramref name="options"/> (throws <see cref="AnomalyOptionsException"/>) and starts empty.</summary>
    /// <param name="book">Open alerts to continue from (restored from the journal or topic); a new empty book when null.</param>
    public AnomalyEngine(AnomalyOptions options, TimeProvider? timeProvider = null, AlertBook? book = null)
    {
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        Alerts = book ?? new AlertBook();
    }

    /// <summary>The open alerts, kept current by the engine.</summary>
    public AlertBook Alerts { get; }

    public int SensorCount => _sensors.Count;

    public IReadOnlyList<AlertEvent> Process(Reading reading) =>
        Process(reading.Site, reading.Asset, reading.Sensor, reading.TimestampMicros, reading.Value, reading.Quality);

    /// <summary>Judges one reading. Bad-quality or non-finite values count as a sign of life only (data gap).</summary>
    public IReadOnlyList<AlertEvent> Process(string site, string asset, string sensor, long timestampMicros, double value,
        Quality quality = Quality.Good)
    {
        _events.Clear();
        if (!_sensors.TryGetValue((site, asset, sensor), out var state)) state = Add(site, asset, sensor);
        state.Process(timestampMicros, value, quality, _events);
        Record();
        return _events;
    }

    /// <summary>Judges data gaps of every sensor at <paramref name="nowMicros"/> (µs since the epoch).</summary>
    public IReadOnlyList<AlertEvent> Tick(long nowMicros)
    {
        _events.Clear();
        foreach (var s in _sensors.Values) s.Tick(nowMicros, _events);
        Record();
        return _events;
    }

    /// <summary>Judges data gaps at the time provider's current time.</summary>
    public IReadOnlyList<AlertEvent> Tick() => Tick(UnixMicros.Now(_time));

    /// <summary>
    /// Replays past alert events (journal or topic history) into <see cref="Alerts"/> and lets every known sensor
    /// take over its open alerts, e.g. after a consumer rebalance assigned partitions this engine did not own.
    /// </summary>
    public void Restore(IEnumerable<AlertEvent> history)
    {
        Alerts.Restore(history);
        foreach (var s in _sensors.Values)
            foreach (var t in s.Trackers) t.Adopt(Alerts);
        foreach (var a in _assets.Values)
        {
            foreach (var c in a.Correlations) c.Tracker.Adopt(Alerts);
            a.Multivariate?.Tracker?.Adopt(Alerts);
        }
    }

    /// <summary>Forgets a sensor's detector state (e.g. its partition was revoked); its open alerts stay in <see cref="Alerts"/>.</summary>
    public bool Forget(string site, string asset, string sensor) => _sensors.Remove((site, asset, sensor));

    private void Record()
    {
        foreach (var e in _events) Alerts.Apply(e);
    }

    private SensorState Add(string site, string asset, string sensor)
    {
        if (!_assets.TryGetValue((site, asset), out var assetState))
        {
            var assetKey = site + "/" + asset;
            CorrelationState[] correlations = [.. _options.Correlations
                .Where(c => Glob.IsMatch(c.Match, assetKey))
                .Select(c => new CorrelationState(c, site, asset, _options.Alerts, Alerts))];
            var mv = _options.Multivariate.FirstOrDefault(m => Glob.IsMatch(m.Match, assetKey)) is { } m
                ? new MultivariateState(m, site, asset, _options.Alerts, Alerts) : null;
            assetState = new AssetState(correlations, mv);
            _assets[(site, asset)] = assetState;
        }
        var slots = new List<(CorrelationState, int)>();
        foreach (var c in assetState.Correlations)
        {
            var slot = c.Rule.Sensors.IndexOf(sensor);
            if (slot >= 0) slots.Add((c, slot));
        }
        var mvSlot = assetState.Multivariate?.SlotOf(sensor) ?? -1;
        var state = new SensorState(site, asset, sensor, _options, slots, Alerts,
            mvSlot >= 0 ? (assetState.Multivariate, mvSlot) : (null, -1));
        _sensors[(site, asset, sensor)] = state;
        ClearOrphans(state);
        return state;
    }

    /// <summary>The asset multivariate model of one asset (null when none), for tests and persistence.</summary>
    internal PcaDetector? MultivariateOf(string site, string asset) =>
        _assets.TryGetValue((site, asset), out var a) ? a.Multivariate?.Detector : null;

    private sealed record AssetState(CorrelationState[] Correlations, MultivariateState? Multivariate);

    /// <summary>Clears alerts the book holds for this sensor under rules it no longer has (configuration changed).</summary>
    private void ClearOrphans(SensorState state)
    {
        if (Alerts.OpenCount == 0) return;
        var prefix = state.Key + "|";
        var rules = state.Trackers.Select(t => t.Rule).ToHashSet(StringComparer.Ordinal);
        foreach (var open in Alerts.Open.Where(a => a.ConditionKey.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            if (rules.Contains(open.Rule)) continue;
            _events.Add(open with
            {
                Kind = AlertEventKind.Cleared,
                Message = $"cleared: rule '{open.Rule}' is no longer configured for {state.Key}",
                EventMicros = open.EventMicros,
                ClearedMicros = open.EventMicros,
            });
        }
    }
}
