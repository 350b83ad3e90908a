using IotTelemetry.Common.Configuration;

namespace IotTelemetry.Cloud.Detector;

/// <summary>Section <c>Detector</c>: the anomaly detector service (its rules are in section <c>Anomaly</c>).</summary>
public sealed class DetectorOptions
{
    public bool Enabled { get; set; } = true;

    public string GroupId { get; set; } = "iott-detector";

    /// <summary>The alert journal; relative paths are under Cloud:DataDir.</summary>
    public string Journal { get; set; } = "alerts.jsonl";

    /// <summary>How often data gaps are judged, alerts flushed, the journal synced and offsets committed.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The model snapshot (learned and multivariate models), beside the journal; empty: not kept.</summary>
    public string Models { get; set; } = "models.bin";

    /// <summary>How often the model snapshot is written (after a checkpoint, so it covers exactly the committed readings).</summary>
    public TimeSpan ModelInterval { get; set; } = TimeSpan.FromMinutes(1);

    public void Validate(ConfigErrors errors)
    {
        if (!Enabled) return;
        errors.RequireNotEmpty(GroupId, "Detector:GroupId");
        errors.RequireNotEmpty(Journal, "Detector:Journal", "a file name for the alert journal");
        errors.RequirePositive(CheckpointInterval, "Detector:CheckpointInterval");
        errors.RequirePositive(ModelInterval, "Detector:ModelInterval");
    }
}
