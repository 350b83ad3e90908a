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

    private AssetState AssetOf(string site, string asset)
    {
        if (_assets.TryGetValue((site, asset), out var assetState)) return assetState;
        var assetKey = site + "/" + asset;
        CorrelationState[] correlations = [.. _options.Correlations
            .Where(c => Glob.IsMatch(c.Match, assetKey))
            .Select(c => new CorrelationState(c, site, asset, _options.Alerts, Alerts))];
        var mv = _options.Multivariate.FirstOrDefault(m => Glob.IsMatch(m.Match, assetKey)) is { } m
            ? new MultivariateState(m, site, asset, _options.Alerts, Alerts) : null;
        assetState = new AssetState(correlations, mv);
        _assets[(site, asset)] = assetState;
        return assetState;
    }

    private SensorState Add(string site, string asset, string sensor)
    {
        var assetState = AssetOf(site, asset);
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

    private const int SnapshotVersion = 3;

    /// <summary>
    /// Writes the learned models (each asset's multivariate model and its sensor set, each sensor's
    /// <see cref="LearnedDetector"/>), the state that takes long to learn again. The other detectors warm up again
    /// within their short windows; open alerts come back from the alert history (<see cref="Restore"/>).
    /// </summary>
    public void SaveModels(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(SnapshotVersion);
        var assets = _assets.Where(kv => kv.Value.Multivariate is not null).ToList();
        w.Write(assets.Count);
        foreach (var ((site, asset), state) in assets)
        {
            w.Write(site); w.Write(asset);
            Blob(w, state.Multivariate!.Save);
        }
        var learned = _sensors.Where(kv => kv.Value.Learned is not null).ToList();
        w.Write(learned.Count);
        foreach (var ((site, asset, sensor), state) in learned)
        {
            w.Write(site); w.Write(asset); w.Write(sensor);
            Blob(w, state.Learned!.Save);
        }
    }

    /// <summary>
    /// Continues from <see cref="SaveModels"/>: assets and sensors in the snapshot that this engine does not know
    /// yet (e.g. of newly assigned partitions) take over the saved models; known ones keep theirs. A model the
    /// current options do not have, or that does not fit them, is skipped (it learns afresh). Returns the models
    /// restored. Throws <see cref="InvalidDataException"/> when the stream is not a snapshot.
    /// </summary>
    public int RestoreModels(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            var version = r.ReadInt32();
            if (version != SnapshotVersion) throw new InvalidDataException($"model snapshot: expected version {SnapshotVersion}, got {version}");
            var restored = 0;
            // Assets first: a restored asset's sensor set fixes the multivariate slots of the sensors added after it.
            var assets = Count(r);
            for (var i = 0; i < assets; i++)
            {
                var (site, asset) = (r.ReadString(), r.ReadString());
                var blob = ReadBlob(r);
                if (_assets.ContainsKey((site, asset))) continue;
                if (AssetOf(site, asset).Multivariate is not { } m) continue;
                if (TryLoad(blob, m.Load)) restored++;
                else _assets.Remove((site, asset)); // half-loaded: the first reading starts it afresh
            }
            var sensors = Count(r);
            for (var i = 0; i < sensors; i++)
            {
                var (site, asset, sensor) = (r.ReadString(), r.ReadString(), r.ReadString());
                var blob = ReadBlob(r);
                if (_sensors.ContainsKey((site, asset, sensor))) continue;
                if (Add(site, asset, sensor).Learned is not { } d) continue;
                if (TryLoad(blob, d.Load)) restored++;
                else _sensors.Remove((site, asset, sensor));
            }
            _events.Clear(); // clears of orphaned alerts found by Add are found again at the sensor's next reading
            return restored;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("model snapshot: cut short", e);
        }
    }

    private static void Blob(BinaryWriter w, Action<BinaryWriter> save)
    {
        using var buffer = new MemoryStream();
        using (var inner = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) save(inner);
        w.Write((int)buffer.Length);
        w.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static byte[] ReadBlob(BinaryReader r)
    {
        var n = Count(r);
        var bytes = r.ReadBytes(n);
        if (bytes.Length != n) throw new EndOfStreamException();
        return bytes;
    }

    private static int Count(BinaryReader r)
    {
        var n = r.ReadInt32();
        if (n < 0) throw new InvalidDataException($"model snapshot: expected a count >= 0, got {n}");
        return n;
    }

    /// <summary>Loads one model; false (the model keeps what it had, nothing yet) when the blob does not fit it.</summary>
    private static bool TryLoad(byte[] blob, Action<BinaryReader> load)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(blob));
            load(r);
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            return false;
        }
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
