using System.Diagnostics;
using MQTTnet.Protocol;

namespace IotTelemetry.Simulator;

/// <summary>Publishes a <see cref="PlantSimulator"/>'s readings over MQTT in real time, one tick per sample period.</summary>
public sealed class PlantPublisher(PlantMqttClient client, PlantSimulator simulator, MqttQualityOfServiceLevel qos)
{
    private long _published;

    /// <summary>Readings acknowledged by the broker (QoS 1/2) or written (QoS 0).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Called for every reading published (tests keep the expected set).</summary>
    public Action<SimulatedReading>? OnPublished { get; set; }

    /// <summary>Publishes tick after tick at the simulator's sample rate until cancelled or <paramref name="ticks"/> are done.</summary>
    public async Task RunAsync(CancellationToken ct, long? ticks = null)
    {
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>(simulator.SensorCount);
        for (long tick = 0; ticks is null || tick < ticks; tick++)
        {
            var due = TimeSpan.FromTicks(tick * simulator.PeriodMicros * 10);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try { await Task.Delay(wait, ct); }
                catch (OperationCanceledException) { return; }
            }
            if (ct.IsCancellationRequested) return;
            pending.Clear();
            foreach (var reading in simulator.NextTick())
                pending.Add(PublishOneAsync(reading, ct));
            try { await Task.WhenAll(pending); }
            // Stopping: publishes still waiting for their PUBACK end with a cancellation or, in MQTTnet, a time-out.
            catch (Exception) when (ct.IsCancellationRequested) { return; }
        }
    }

    private async Task PublishOneAsync(SimulatedReading reading, CancellationToken ct)
    {
        await client.PublishAsync(reading.Topic, PlantSimulator.Payload(reading), qos, ct);
        Interlocked.Increment(ref _published);
        OnPublished?.Invoke(reading);
    }
}
