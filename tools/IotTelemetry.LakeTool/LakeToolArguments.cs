using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace IotTelemetry.LakeTool;

/// <summary>Arguments and options whose parse errors say what was expected in the tool's own words.</summary>
internal static class LakeToolArguments
{
    /// <summary>
    /// Exactly one positional argument, added to <paramref name="command"/>. It collects every stray token, so an unquoted
    /// SQL statement or a misspelt option is reported as what it is ("got 3 argument(s): 'SELECT' ...") instead of as one
    /// unrecognized word. Checked by the command, which also sees the case of no token at all.
    /// </summary>
    public static Argument<string[]> One(Command command, string name, string expected)
    {
        var argument = new Argument<string[]>(name) { Arity = ArgumentArity.ZeroOrMore, HelpName = name };
        command.Add(argument);
        command.Validators.Add(r =>
        {
            var given = r.GetValue(argument) ?? [];
            if (given.Length != 1)
                r.AddError($"Expected {expected}, got {given.Length} argument(s){(given.Length == 0 ? "" : ": " + string.Join(" ", given.Select(g => $"'{g}'")))}");
        });
        return argument;
    }

    /// <summary>A whole number option of at least <paramref name="minimum"/>.</summary>
    public static Option<int> Count(string name, int defaultValue, int minimum, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Whole(r, name, minimum) ?? defaultValue,
    };

    /// <summary>A number of days, null when not given; the range is the retention policy's to check (naming its key).</summary>
    public static Option<int?> Days(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "days",
        CustomParser = r => Whole(r, name, int.MinValue),
    };

    private static int? Whole(ArgumentResult r, string name, int minimum)
    {
        var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            r.AddError($"Expected {name} as a whole number, got '{text}'");
        else if (value < minimum)
            r.AddError($"Expected {name} to be at least {minimum}, got {value}");
        else return value;
        return null;
    }

    /// <summary>A time span in the invariant culture (<c>02:00:00</c>, <c>1.00:00:00</c>).</summary>
    public static Option<TimeSpan> Duration(string name, TimeSpan defaultValue, string description) => new(name)
    {
        Description = description,
        HelpName = "hh:mm:ss",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value)) return value;
            r.AddError($"Expected {name} as a time span such as 02:00:00 (hh:mm:ss, or d.hh:mm:ss), got '{text}'");
            return default;
        },
    };
}
