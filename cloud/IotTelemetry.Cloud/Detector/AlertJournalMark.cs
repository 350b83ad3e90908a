using System.Globalization;

namespace IotTelemetry.Cloud.Detector;

/// <summary>
/// The journal's published mark on disk: one decimal number, written whole (temporary file, flushed to disk,
/// renamed over the old one), so a crash leaves the old mark or the new one. A missing or unreadable mark is 0:
/// the whole journal is checked against the topic once.
/// </summary>
internal static class AlertJournalMark
{
    public static long Read(string path)
    {
        try
        {
            return long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var mark) ? mark : 0;
        }
        catch (FileNotFoundException) { return 0; }
    }

    public static void Write(string path, long mark)
    {
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(mark.ToString(CultureInfo.InvariantCulture)));
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
