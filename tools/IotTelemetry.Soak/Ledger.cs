using System.Globalization;
using System.Text;

namespace IotTelemetry.Soak;

/// <summary>
/// The soak's readings, all derived from (asset, sensor, tick): topic, timestamp and value, so that the reconciliation
/// recomputes exactly what was sent; and which messages (one asset, one tick) the broker acknowledged.
/// </summary>
internal sealed class Ledger(int assets, int sensorsPerAsset, long startMillis, int periodMillis)
{
    public const string Site = "plant-s";
    private readonly List<bool>[] _acked = [.. Enumerable.Range(0, assets).Select(_ => new List<bool>())];
    private long _offered;
    private long _acknowledged;

    public int Assets => assets;
    public int SensorsPerAsset => sensorsPerAsset;
    public long StartMillis => startMillis;
    public int PeriodMillis => periodMillis;

    /// <summary>Readings offered (each message counted once, however often it was retried).</summary>
    public long Offered => Interlocked.Read(ref _offered) * sensorsPerAsset;

    public long Acknowledged => Interlocked.Read(ref _acknowledged) * sensorsPerAsset;

    public static string AssetName(int a) => "a-" + a.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Sensor 0 is a temperature (the default limits rule watches it: its spikes raise and clear alerts); the others are <c>sN</c>.</summary>
    public static string SensorName(int s) => s == 0 ? "temperature" : "s" + s.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseSensor(string name, out int s)
    {
        s = 0;
        return name == "temperature" || (name.StartsWith('s') && int.TryParse(name.AsSpan(1), CultureInfo.InvariantCulture, out s) && s > 0);
    }

    public string Topic(int asset) => $"plants/{Site}/{AssetName(asset)}";

    public long TimestampMillis(long tick) => startMillis + tick * periodMillis;

    /// <summary>
    /// A slow wave per sensor, 3 decimals; every 50th asset's temperature goes over its limit for 10 ticks in every 200, so
    /// that the detector raises and clears alerts through the faults.
    /// </summary>
    public static double Value(int asset, int sensor, long tick) =>
        sensor == 0 && asset % 50 == 0 && tick % 200 is >= 100 and < 110 ? 120 : Math.Round(50 + 10 * Math.Sin(tick / 20.0 + sensor + asset * 0.1), 3);

    public byte[] Payload(int asset, long tick)
    {
        var json = new StringBuilder("{\"readings\":[");
        for (var s = 0; s < sensorsPerAsset; s++)
        {
            if (s > 0) json.Append(',');
            json.Append(CultureInfo.InvariantCulture, $"{{\"sensor\":\"{SensorName(s)}\",\"value\":{Value(asset, s, tick).ToString("R", CultureInfo.InvariantCulture)},\"ts\":{TimestampMillis(tick)}}}");
        }
        return Encoding.UTF8.GetBytes(json.Append("]}").ToString());
    }

    public void Offer(int asset, long tick)
    {
        lock (_acked[asset]) while (_acked[asset].Count <= tick) _acked[asset].Add(false);
        Interlocked.Increment(ref _offered);
    }

    public void Acknowledge(int asset, long tick)
    {
        lock (_acked[asset])
        {
            if (_acked[asset][(int)tick]) return;
            _acked[asset][(int)tick] = true;
        }
        Interlocked.Increment(ref _acknowledged);
    }

    public bool IsAcknowledged(int asset, long tick)
    {
        lock (_acked[asset]) return tick < _acked[asset].Count && _acked[asset][(int)tick];
    }

    /// <summary>Every acknowledged (asset, tick).</summary>
    public IEnumerable<(int Asset, long Tick)> AcknowledgedMessages()
    {
        for (var a = 0; a < assets; a++)
        {
            bool[] copy;
            lock (_acked[a]) copy = [.. _acked[a]];
            for (var t = 0; t < copy.Length; t++) if (copy[t]) yield return (a, t);
        }
    }
}
