using System.Collections.Concurrent;
using System.Diagnostics;
using IotTelemetry.Simulator;
using MQTTnet.Protocol;

namespace IotTelemetry.Soak;

/// <summary>
/// Offers the ledger's messages at the configured rate over MQTT QoS 1 and records each PUBACK. A message whose
/// publish failed (the broker went away) is offered again, same topic and payload, after the reconnect, until it is
/// acknowledged, as a device with a retry queue does; the edge agent must not store its readings twice.
/// </summary>
internal sealed class LoadPublisher(Ledger ledger, string host, Func<int> port)
{
    private readonly ConcurrentQueue<(int Asset, long Tick)> _retry = new();
    private long _failures;

    public long Failures => Interlocked.Read(ref _failures);
    public int Pending => _retry.Count;

    /// <summary>Offers new messages until <paramref name="load"/> ends, then only retries until none is left or <paramref name="end"/>.</summary>
    public async Task RunAsync(CancellationToken load, CancellationToken end)
    {
        var clock = Stopwatch.StartNew();
        long nextTick = 0;
        var inFlight = new List<Task>();
        while (!end.IsCancellationRequested)
        {
            PlantMqttClient client;
            try { client = await PlantMqttClient.ConnectAsync(host, port(), "iott-soak-publisher", end, maxInFlight: 1000); }
            catch (Exception) when (!end.IsCancellationRequested) { await Pause(end); continue; }
            catch (OperationCanceledException) { return; }
            await using (client)
            {
                while (client.IsConnected && !end.IsCancellationRequested)
                {
                    if (_retry.TryDequeue(out var again)) { inFlight.Add(Publish(client, again.Asset, again.Tick)); }
                    else if (!load.IsCancellationRequested && nextTick * ledger.PeriodMillis <= clock.ElapsedMilliseconds)
                    {
                        for (var a = 0; a < ledger.Assets; a++)
                        {
                            ledger.Offer(a, nextTick);
                            inFlight.Add(Publish(client, a, nextTick));
                        }
                        nextTick++;
                    }
                    else if (load.IsCancellationRequested && _retry.IsEmpty && inFlight.Count == 0) return;
                    else await Pause(end, 2);
                    if (inFlight.Count > 4000) { await Task.WhenAll(inFlight); inFlight.Clear(); }
                    else inFlight.RemoveAll(t => t.IsCompleted);
                }
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }
    }

    private async Task Publish(PlantMqttClient client, int asset, long tick)
    {
        try
        {
            await client.PublishAsync(ledger.Topic(asset), ledger.Payload(asset, tick), MqttQualityOfServiceLevel.AtLeastOnce, CancellationToken.None);
            ledger.Acknowledge(asset, tick);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _failures);
            _retry.Enqueue((asset, tick));
        }
    }

    private static async Task Pause(CancellationToken ct, int ms = 200)
    {
        try { await Task.Delay(ms, ct); } catch (OperationCanceledException) { }
    }
}
