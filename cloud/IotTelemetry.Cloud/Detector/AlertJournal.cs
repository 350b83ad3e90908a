using IotTelemetry.Anomaly;

namespace IotTelemetry.Cloud.Detector;

/// <summary>
/// The audit trail: every alert event, one JSON object per line, appended to <c>alerts.jsonl</c> under the
/// data directory, before the event is sent to the alerts topic. <see cref="Sync"/> makes what was appended
/// durable; the detector commits Kafka offsets only after it. Beside it, <c>alerts.jsonl.published</c> holds the
/// journal's length up to which every event is known to be acknowledged on the topic (<see cref="MarkPublished"/>):
/// what lies beyond it at start may have been journaled and then kept off the topic by a crash, and is checked.
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
        Published = AlertJournalMark.Read(MarkPath);
    }

    public string Path { get; }

    /// <summary>The file holding <see cref="Published"/>.</summary>
    public string MarkPath => Path + ".published";

    /// <summary>Bytes of the journal whose events are all on the alerts topic (0 when no mark was written yet).</summary>
    public long Published { get; private set; }

    /// <summary>The journal's length now, with everything appended so far included.</summary>
    public long Length
    {
        get
        {
            lock (_gate)
            {
                _writer.Flush();
                return new FileInfo(Path).Length;
            }
        }
    }

    /// <summary>Every event in a journal file (none if it does not exist); a torn last line from a crash is ignored.</summary>
    public static List<AlertEvent> ReadAll(string path) => ReadFrom(path, 0);

    /// <summary>
    /// The events from byte <paramref name="offset"/> on. An offset inside a line (another writer's line cut by a
    /// length taken while it was being appended) starts at the next whole line.
    /// </summary>
    public static List<AlertEvent> ReadFrom(string path, long offset)
    {
        var events = new List<AlertEvent>();
        if (!File.Exists(path)) return events;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (offset > stream.Length) return events;
        var skipPartial = false;
        if (offset > 0)
        {
            stream.Position = offset - 1;
            skipPartial = stream.ReadByte() != '\n';
        }
        using var reader = new StreamReader(stream);
        if (skipPartial) reader.ReadLine();
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

    /// <summary>Records that every event in the first <paramref name="length"/> bytes is acknowledged on the topic.</summary>
    public void MarkPublished(long length)
    {
        if (length <= Published) return;
        AlertJournalMark.Write(MarkPath, length);
        Published = length;
    }

    public void Dispose()
    {
        try { Sync(); } catch (IOException) { }
        _writer.Dispose();
    }
}
