using System.CommandLine;

namespace IotTelemetry.LakeTool;

/// <summary>The retention flags (<see cref="RetentionFlags"/>) added to one command: <c>retention</c> and <c>catalog</c>.</summary>
internal sealed class RetentionOptions
{
    private readonly Option<int?> _raw = LakeToolArguments.Days("--keep-days", "days the raw readings keep a partition after its hour ended (else Retention:RawDays, else 365)");
    private readonly Option<int?> _minute = LakeToolArguments.Days("--keep-1m-days", "days for rollup-1m (else Retention:MinuteDays, else 730)");
    private readonly Option<int?> _hour = LakeToolArguments.Days("--keep-1h-days", "days for rollup-1h (else Retention:HourDays, else 1825)");
    private readonly Option<string> _config = new("--config") { Description = "the cloud host's appsettings.json: its Retention section", HelpName = "appsettings.json" };

    public RetentionOptions(Command command)
    {
        command.Add(_raw);
        command.Add(_minute);
        command.Add(_hour);
        command.Add(_config);
    }

    public RetentionFlags Read(ParseResult result) => new(result.GetValue(_raw), result.GetValue(_minute), result.GetValue(_hour), result.GetValue(_config));
}
