namespace IotTelemetry.Common.Configuration;

/// <summary>
/// A configuration the process cannot start with. The message names every offending key and what was
/// expected; it never contains a secret's value.
/// </summary>
public sealed class ConfigurationException(IReadOnlyList<string> problems)
    : Exception("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
