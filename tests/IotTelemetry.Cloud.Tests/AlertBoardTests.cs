using IotTelemetry.Anomaly;
using IotTelemetry.Cloud.Dashboard;

namespace IotTelemetry.Cloud.Tests;

public sealed class AlertBoardTests
{
    private static AlertEvent Event(AlertEventKind kind, long at, string asset = "pump-01") =>
        new(kind, $"plant-a/{asset}/vibration|limits|1000", "plant-a", asset, "vibration", "limits", Severity.Critical, "vibration high",
            9, 9, 7.1, 9.5, 1000, at, kind == AlertEventKind.Cleared ? at : null);

    [Fact]
    public void Replaying_the_journal_and_then_the_topic_shows_each_alert_once()
    {
        var board = new AlertBoard(10);
        var raised = Event(AlertEventKind.Raised, 1000);
        var updated = Event(AlertEventKind.Updated, 2000);
        var other = Event(AlertEventKind.Raised, 1500, "pump-02");
        foreach (var e in new[] { raised, updated, other, raised, updated, other }) board.Apply(e);
        var state = board.Snapshot();
        Assert.Equal(2, state.Open.Count);
        Assert.Equal(AlertEventKind.Updated, state.Open.Single(v => v.Alert.Asset == "pump-01").Alert.Kind);
        Assert.Empty(state.History);
    }

    [Fact]
    public void A_cleared_alert_never_reopens_from_a_late_duplicate_and_keeps_its_acknowledgement()
    {
        var board = new AlertBoard(1);
        board.Apply(Event(AlertEventKind.Raised, 1000));
        var ack = new Acknowledgement("alice", "on it: checking", 1500);
        board.Apply(Event(AlertEventKind.Raised, 1000) with { Kind = AlertEventKind.Acknowledged, Message = ack.ToMessage(), EventMicros = 1500 });
        board.Apply(Event(AlertEventKind.Cleared, 3000));
        board.Apply(Event(AlertEventKind.Raised, 1000, "pump-09") with { AlertId = "x" });
        board.Apply(Event(AlertEventKind.Cleared, 3000, "pump-09") with { AlertId = "x" }); // pushes the first out of a history of 1
        board.Apply(Event(AlertEventKind.Raised, 1000));
        board.Apply(Event(AlertEventKind.Updated, 2000));
        var state = board.Snapshot();
        Assert.Empty(state.Open);
        Assert.Equal("x", Assert.Single(state.History).Alert.AlertId);
        Assert.Equal(ack, Acknowledgement.FromMessage(ack.ToMessage(), 1500));
    }

    [Fact]
    public async Task A_waiting_page_connection_wakes_up_on_a_change()
    {
        var board = new AlertBoard(10);
        var seen = board.Version;
        var waiting = board.WaitForChangeAsync(seen, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        board.Apply(Event(AlertEventKind.Raised, 1000));
        await IotTelemetry.TestKit.Wait.ForAsync(waiting, "the wait to end after a change", TimeSpan.FromSeconds(5));
        Assert.True(board.Version > seen);
    }
}
