namespace IotTelemetry.Eval.Scoring;

/// <summary>One CSV of a labeled corpus: its name relative to the data directory, its rows and its windows.</summary>
public sealed record LabeledFile(string Name, long[] TimestampsMicros, double[] Values, IReadOnlyList<LabelWindow> Windows)
{
    /// <summary>The folder part of <see cref="Name"/>, e.g. <c>realTweets</c>.</summary>
    public string Category => Path.GetDirectoryName(Name)?.Replace('\\', '/') ?? "";

    /// <summary>The file name without extension, e.g. <c>Twitter_volume_AAPL</c>.</summary>
    public string Stem => Path.GetFileNameWithoutExtension(Name);
}
