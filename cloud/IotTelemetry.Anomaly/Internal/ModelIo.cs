namespace IotTelemetry.Anomaly.Internal;

/// <summary>Array helpers of the model snapshots (<see cref="AnomalyEngine.SaveModels"/>): length, then the items.</summary>
internal static class ModelIo
{
    public static void Write(this BinaryWriter w, double[] values)
    {
        w.Write(values.Length);
        foreach (var v in values) w.Write(v);
    }

    public static void Write(this BinaryWriter w, float[] values)
    {
        w.Write(values.Length);
        foreach (var v in values) w.Write(v);
    }

    public static double[] ReadDoubles(this BinaryReader r, int? expected = null)
    {
        var n = Length(r, expected);
        var result = new double[n];
        for (var i = 0; i < n; i++) result[i] = r.ReadDouble();
        return result;
    }

    /// <summary>Reads floats into <paramref name="into"/>, whose length the snapshot must match.</summary>
    public static void ReadFloats(this BinaryReader r, float[] into)
    {
        Length(r, into.Length);
        for (var i = 0; i < into.Length; i++) into[i] = r.ReadSingle();
    }

    private static int Length(BinaryReader r, int? expected)
    {
        var n = r.ReadInt32();
        if (n < 0 || n > 1 << 24 || (expected is { } e && n != e))
            throw new InvalidDataException($"model snapshot: expected an array of {expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "0..16M"} items, got {n}");
        return n;
    }
}
