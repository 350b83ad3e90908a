namespace IotTelemetry.Common.Configuration;

/// <summary>Collects configuration problems as "Key: expected X, got Y" and throws them all at once.</summary>
public sealed class ConfigErrors
{
    private readonly List<string> _problems = [];

    public IReadOnlyList<string> Problems => _problems;

    public void Add(string key, string expected, object? actual) =>
        _problems.Add($"{key}: expected {expected}, got {Show(actual)}");

    /// <summary>Like <see cref="Add"/> but never shows the value (for passwords and keys).</summary>
    public void AddSecret(string key, string expected) => _problems.Add($"{key}: expected {expected}");

    /// <summary>A problem already phrased with its key, e.g. from a component's own validator.</summary>
    public void AddMessage(string problem) => _problems.Add(problem);

    public void Require(bool ok, string key, string expected, object? actual)
    {
        if (!ok) Add(key, expected, actual);
    }

    public void RequireNotEmpty(string? value, string key, string what = "a non-empty value") => Require(!string.IsNullOrWhiteSpace(value), key, what, value);

    public void RequireRange(long value, long min, long max, string key) =>
        Require(value >= min && value <= max, key, $"a number from {min} to {max}", value);

    public void RequirePositive(TimeSpan value, string key) => Require(value > TimeSpan.Zero, key, "a positive duration (e.g. 00:00:05)", value);

    public void Merge(ConfigErrors other) => _problems.AddRange(other._problems);

    public void ThrowIfAny()
    {
        if (_problems.Count > 0) throw new ConfigurationException(_problems);
    }

    private static string Show(object? actual) => actual switch
    {
        null => "nothing",
        string s when s.Length == 0 => "an empty value",
        string s => $"'{s}'",
        _ => Convert.ToString(actual, System.Globalization.CultureInfo.InvariantCulture) ?? "nothing",
    };
}
