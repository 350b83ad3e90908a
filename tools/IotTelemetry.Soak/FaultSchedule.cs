namespace IotTelemetry.Soak;

/// <summary>The faults a run does, in time order.</summary>
internal enum FaultKind { KillEdge, KillCloud, RestartBroker, RestartPlc, CloudOutage, DiskFull }

/// <param name="At">Since the load started.</param>
/// <param name="Length">How long the fault lasts (outages, a full disk); zero for kills and restarts.</param>
internal sealed record Fault(TimeSpan At, FaultKind Kind, TimeSpan Length);

/// <summary>
/// Draws a run's faults from SEED: each at a uniformly random point of the run, kept out of its first and last tenth so
/// that the pipeline is up at the start and has room to settle before the drain. The same seed gives the same schedule.
/// </summary>
internal static class FaultSchedule
{
    public static List<Fault> Draw(SoakOptions o)
    {
        var random = new Random(o.Seed);
        var run = o.Duration.TotalSeconds;
        var faults = new List<Fault>();
        TimeSpan At(TimeSpan length) => TimeSpan.FromSeconds(run * 0.1 + random.NextDouble() * Math.Max(0, run * 0.8 - length.TotalSeconds));
        for (var i = 0; i < o.Kills; i++)
        {
            faults.Add(new Fault(At(TimeSpan.Zero), FaultKind.KillEdge, TimeSpan.Zero));
            faults.Add(new Fault(At(TimeSpan.Zero), FaultKind.KillCloud, TimeSpan.Zero));
        }
        for (var i = 0; i < o.BrokerRestarts; i++) faults.Add(new Fault(At(TimeSpan.Zero), FaultKind.RestartBroker, TimeSpan.Zero));
        for (var i = 0; i < o.PlcRestarts; i++) faults.Add(new Fault(At(TimeSpan.Zero), FaultKind.RestartPlc, TimeSpan.Zero));
        if (o.CloudOutage > TimeSpan.Zero) faults.Add(new Fault(At(o.CloudOutage), FaultKind.CloudOutage, o.CloudOutage));
        if (o.DiskFull > TimeSpan.Zero) faults.Add(new Fault(At(o.DiskFull), FaultKind.DiskFull, o.DiskFull));
        return [.. faults.OrderBy(f => f.At)];
    }
}
