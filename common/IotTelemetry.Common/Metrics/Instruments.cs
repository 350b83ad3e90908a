using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using OpenTelemetry.Metrics;

namespace IotTelemetry.Common.Metrics;

/// <summary>
/// The process's counters and gauges: System.Diagnostics.Metrics instruments on one <see cref="Meter"/>, exported at
/// <c>/metrics</c> by OpenTelemetry's Prometheus exporter (see <see cref="Hosting.ServiceHost"/>). One instance per
/// process, registered as a singleton. Instrument names are the Prometheus names (counters end in <c>_total</c>).
/// </summary>
public sealed class Instruments : IDisposable
{
    public const string MeterName = "IotTelemetry";

    private readonly Meter _meter = new(MeterName);
    private readonly MeterListener _listener = new();
    private readonly object _gate = new();
    private readonly Dictionary<string, Counter<long>> _counters = [];
    private readonly Dictionary<string, ConcurrentDictionary<string, GaugeSource>> _gauges = [];
    private readonly ConcurrentDictionary<string, StrongBox<long>> _totals = new();

    /// <param name="exporter">Taken so that the exporter listens before the first instrument is created (DI passes it).</param>
    public Instruments(MeterProvider? exporter = null)
    {
        _ = exporter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _meter) && instrument is Counter<long>) listener.EnableMeasurementEvents(instrument, _totals.GetOrAdd(instrument.Name, _ => new StrongBox<long>()));
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, state) => Interlocked.Add(ref ((StrongBox<long>)state!).Value, value));
        _listener.Start();
    }

    /// <summary>The counter <paramref name="name"/> with the fixed <paramref name="labels"/>; the series is exported (at 0) from now on.</summary>
    public TaggedCounter Counter(string name, string help, params (string Key, string Value)[] labels)
    {
        Counter<long> counter;
        lock (_gate)
        {
            if (!_counters.TryGetValue(name, out counter!))
                _counters[name] = counter = _meter.CreateCounter<long>(name, description: help);
        }
        var tagged = new TaggedCounter(counter, Tags(labels));
        tagged.Add(0);
        return tagged;
    }

    /// <summary>A gauge read at each scrape; registering the same name and labels again replaces the reader.</summary>
    public void Gauge(string name, string help, Func<double> read, params (string Key, string Value)[] labels)
    {
        ConcurrentDictionary<string, GaugeSource> sources;
        lock (_gate)
        {
            if (!_gauges.TryGetValue(name, out sources!))
            {
                var created = sources = new ConcurrentDictionary<string, GaugeSource>();
                _gauges[name] = created;
                _meter.CreateObservableGauge(name, () => created.Values.Select(s => new Measurement<double>(s.Read(), s.Tags)), description: help);
            }
        }
        sources[SeriesKey(labels)] = new GaugeSource(read, Tags(labels));
    }

    /// <summary>Sum of the counter <paramref name="name"/> across its label sets, as counted in this process.</summary>
    public long Total(string name) => _totals.TryGetValue(name, out var box) ? Interlocked.Read(ref box.Value) : 0;

    public void Dispose()
    {
        _listener.Dispose();
        _meter.Dispose();
    }

    /// <summary>
    /// A label set as a dictionary key: every key and value length-prefixed, so that two different label sets never share a
    /// key whatever their values hold (joined as <c>k=v,k=v</c>, <c>cell="a,line=b"</c> and <c>cell="a",line="b"</c> did, and one
    /// gauge replaced the other).
    /// </summary>
    private static string SeriesKey((string Key, string Value)[] labels) =>
        string.Concat(labels.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Key.Length}:{l.Key}{l.Value.Length}:{l.Value}")));

    private static KeyValuePair<string, object?>[] Tags((string Key, string Value)[] labels) =>
        [.. labels.Select(l => new KeyValuePair<string, object?>(l.Key, l.Value))];

    private sealed record GaugeSource(Func<double> Read, KeyValuePair<string, object?>[] Tags);
}
