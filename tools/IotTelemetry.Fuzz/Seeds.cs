namespace IotTelemetry.Fuzz;

/// <summary>What a seed is and so which topic its mutations go to.</summary>
public enum SeedKind { Json, JsonBatch, SparkplugBirth, SparkplugData }

/// <summary>A valid payload the mutations start from.</summary>
public sealed record Seed(SeedKind Kind, byte[] Bytes)
{
    /// <summary>A topic of its own for message <paramref name="index"/>, so each message's outcome can be found again.</summary>
    public string Topic(int index) => Kind switch
    {
        SeedKind.Json => $"plants/fuzz/a{index}/temperature",
        SeedKind.JsonBatch => $"plants/fuzz/a{index}",
        SeedKind.SparkplugBirth => $"spBv1.0/fuzz/DBIRTH/node/d{index}",
        _ => $"spBv1.0/fuzz/DDATA/node/d{index}",
    };

    public bool IsSparkplug => Kind is SeedKind.SparkplugBirth or SeedKind.SparkplugData;

    /// <summary>The message index in a topic made by <see cref="Topic"/>, -1 for any other topic.</summary>
    public static int IndexOf(string topic)
    {
        var parts = topic.Split('/');
        var part = parts.Length switch { 3 or 4 when parts[0] == "plants" => parts[2], 5 => parts[4], _ => "" };
        return part.Length > 1 && int.TryParse(part.AsSpan(1), out var i) ? i : -1;
    }

    /// <summary>
    /// JSON readings in the shapes of the default mapping rules, and Sparkplug B payloads encoded by Eclipse Tahu's
    /// JavaScript library (tests/node/sparkplug-encode.mjs): a DBIRTH with aliases, a DDATA with names, a DDATA by alias.
    /// </summary>
    public static IReadOnlyList<Seed> All { get; } =
    [
        Json(SeedKind.Json, """{"value":21.5,"ts":1795248000000,"unit":"degC","quality":"good"}"""),
        Json(SeedKind.Json, """{"value":-3,"ts":1795248000123,"quality":1}"""),
        Json(SeedKind.Json, """{"value":true,"unit":"","quality":"uncertain"}"""),
        Json(SeedKind.Json, """{"ts":1795248000000,"value":1.0e-3,"extra":{"nested":[1,2,{"k":"v"}]}}"""),
        Json(SeedKind.JsonBatch, """{"readings":[{"sensor":"t1","value":1.5,"ts":1795248000000},{"sensor":"t2","value":2,"quality":"bad","unit":"bar"}]}"""),
        Json(SeedKind.JsonBatch, """{"readings":[{"sensor":"flow","value":0.25,"ts":1795248000000,"unit":"m3/h"}]}"""),
        Hex(SeedKind.SparkplugBirth, "088098fae89f3412250a164879647261756c6963732f54656d70657261747572651001200a69000000000050504012130a08507265737375726510022009650000d040120f0a0752756e6e696e671003200b700112120a065265636970651004200c7a04412d313712160a05436f756e741005200458d6ffffffffffffffff011801"),
        Hex(SeedKind.SparkplugData, "08e89ffae89f3412180a0b54656d7065726174757265200a690000000000a0504012130a05537065656418849ffae89f34200758dc0b120d0a0342696720085880d0acf30e1802"),
        Hex(SeedKind.SparkplugData, "08d0a7fae89f34120d1001200a69000000000000f83f12091002200965000020401803"),
    ];

    private static Seed Json(SeedKind kind, string json) => new(kind, System.Text.Encoding.UTF8.GetBytes(json));

    private static Seed Hex(SeedKind kind, string hex) => new(kind, Convert.FromHexString(hex));
}
