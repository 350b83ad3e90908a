using System.Text;
using IotTelemetry.Anomaly;

namespace IotTelemetry.Cloud.Dashboard;

/// <summary>
/// Appends Acknowledged events to the alert journal (<c>alerts.jsonl</c>), each as one whole line in one
/// append-mode write, flushed to disk before the acknowledgement is confirmed.
/// </summary>
public sealed class AckJournal(string path)
{
    private readonly object _gate = new();

    public string Path { get; } = path;

    public void Append(AlertEvent e)
    {
        var line = Encoding.UTF8.GetBytes(AlertJson.Serialize(e) + "\n");
        lock (_gate)
        {
            using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
            file.Write(line);
            file.Flush(flushToDisk: true);
        }
    }
}
