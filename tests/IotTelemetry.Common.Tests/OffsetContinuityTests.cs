using IotTelemetry.Common.Kafka;

namespace IotTelemetry.Common.Tests;

public sealed class OffsetContinuityTests
{
    [Fact]
    public void Contiguous_offsets_after_a_resume_report_nothing_missing()
    {
        var continuity = new OffsetContinuity();
        continuity.Expect(0, 100);
        Assert.Null(continuity.Received(0, 100));
        Assert.Null(continuity.Received(0, 101));
    }

    [Fact]
    public void A_jump_past_the_resume_offset_reports_where_the_missing_records_start()
    {
        var continuity = new OffsetContinuity();
        continuity.Expect(3, 100);
        Assert.Equal(100, continuity.Received(3, 250));
        Assert.Null(continuity.Received(3, 251));
        Assert.Equal(252, continuity.Received(3, 260)); // a later hole is found too
    }

    [Fact]
    public void A_logical_start_or_a_forgotten_partition_is_not_judged()
    {
        var continuity = new OffsetContinuity();
        continuity.Expect(0, -2); // Offset.Beginning: whatever the cluster still holds
        Assert.Null(continuity.Received(0, 5000));
        continuity.Expect(1, 10);
        continuity.Forget(1);
        Assert.Null(continuity.Received(1, 20));
        Assert.Null(continuity.Received(2, 7)); // never expected anything
    }
}
