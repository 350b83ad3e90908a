using System.Globalization;
using System.Text;

namespace IotTelemetry.Lake;

/// <summary>Hive partition values in a path: characters that cannot stand in a path segment become <c>%XX</c>.</summary>
public static class HivePath
{
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
            if (c is '/' or '\\' or '=' or '%' or ':' or '#' or '?' or '*' || char.IsControl(c)) sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else sb.Append(c);
        return sb.ToString();
    }
}
