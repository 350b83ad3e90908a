using IotTelemetry.Anomaly;

namespace IotTelemetry.Cloud.Alerts;

/// <summary>
/// The audit trail: every alert event, one JSON object per line, appended to <c>alerts.jsonl</c> under the
/// data directory. <see cref="Sync"/> makes what was appended durable; the detector commits Kafka offsets
/// only after it.
/// </summary>
public sealed class AlertJournal : IDisposable
{
    private readonly FileStream _file;
    private readonly StreamWriter _writer;
    private readonly object _gate = new();

    public AlertJournal(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite); // the dashboard appends acknowledgements
        _writer = new StreamWriter(_file, new System.Text.UTF8Encoding(false)) { AutoFlush = false, NewLine = "\n" };
    }

    public string Path { get; }

    /// <summary>Every event in a journal file (none if it does not exist); a torn last line from a crash is ignored.</summary>
    public static List<AlertEvent> ReadAll(string path)
    {
        var events = new List<AlertEvent>();
        if (!File.Exists(path)) return events;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            try { events.Add(AlertJson.Deserialize(line.AsSpan())); }
            catch (System.Text.Json.JsonException) { /* torn write at a crash: the event is re-derived from Kafka */ }
        }
        return events;
    }

    public void Append(AlertEvent e)
    {
        lock (_gate)
        {
            AlertJson.WriteLine(_writer, e);
            _writer.Flush(); // whole lines only: the dashboard appends to the same file (Sync makes them durable)
        }
    }

    /// <summary>Flushes to the OS and to the disk.</summary>
    public void Sync()
    {
        lock (_gate)
        {
            _writer.Flush();
            _file.Flush(flushToDisk: true);
        }
    }

    public void Dispose()
    {
        try { Sync(); } catch (IOException) { }
        _writer.Dispose();
    }
}
