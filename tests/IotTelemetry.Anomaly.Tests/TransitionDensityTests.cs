using IotTelemetry.Anomaly.Internal;

namespace IotTelemetry.Anomaly.Tests;

/// <summary>The level-transition counts behind the learned detector's second detector.</summary>
public class TransitionDensityTests
{
    [Fact]
    public void A_move_never_made_is_unlikely_though_both_levels_are_common()
    {
        // Levels 0 and 10 alternate: 0 -> 10 and 10 -> 0 are usual, 0 -> 0 was never seen.
        var d = new TransitionDensity(8, 10_000);
        for (var i = 0; i < 1000; i++) d.Observe(i % 2 == 0 ? 0 : 10);

        var usual = d.Observe(0);        // after 10, as always
        var repeated = d.Observe(0);     // 0 -> 0

        Assert.True(usual > 0.9, $"usual move probability {usual}");
        Assert.True(repeated < 0.01, $"unseen move probability {repeated}");
    }

    [Fact]
    public void A_new_level_is_unlikely_and_the_range_grows_to_hold_it_without_forgetting_the_old_moves()
    {
        var d = new TransitionDensity(8, 10_000);
        for (var i = 0; i < 1000; i++) d.Observe(i % 2 == 0 ? 0 : 1);

        var outside = d.Observe(100);    // far outside the range: bins merge until it fits
        d.Observe(0);
        d.Observe(1);
        var usualAgain = d.Observe(0);

        Assert.True(outside < 1e-3, $"new level probability {outside}");
        Assert.True(usualAgain > 0.6, $"old move after the range grew: {usualAgain}");
    }

    [Fact]
    public void The_range_grows_downwards_too_and_the_learned_moves_keep_their_counts()
    {
        var d = new TransitionDensity(8, 10_000);
        for (var i = 0; i < 1000; i++) d.Observe(i % 2 == 0 ? 100 : 110);

        var below = d.Observe(-500);     // the range doubles downwards several times
        d.Observe(100);
        var usualAgain = d.Observe(110); // 100 and 110 may now share a bin: still the usual move
        var back = d.Observe(-500);      // seen once: rarer than the usual move, less than the first time

        Assert.True(below < 1e-3, $"new level probability {below}");
        Assert.True(usualAgain > 0.6, $"old move after the range grew: {usualAgain}");
        Assert.True(back > below && back < usualAgain, $"second visit {back}, first {below}, usual {usualAgain}");
    }

    [Fact]
    public void Moves_not_made_for_many_horizons_become_unlikely_again()
    {
        double ZeroToTen(double horizon)
        {
            var d = new TransitionDensity(8, horizon);
            for (var i = 0; i < 2000; i++) d.Observe(i % 2 == 0 ? 0 : 10);   // 0 <-> 10
            for (var i = 0; i < 10_000; i++) d.Observe(i % 2 == 0 ? 0 : 5);  // then only 0 <-> 5
            d.Observe(0);
            return d.Observe(10);
        }

        var shortMemory = ZeroToTen(500);
        var longMemory = ZeroToTen(1_000_000);

        Assert.True(shortMemory < longMemory / 10, $"0 -> 10 with a 500-reading horizon {shortMemory}, with 1e6 {longMemory}");
    }

    [Fact]
    public void Readings_before_two_distinct_values_are_certain()
    {
        var d = new TransitionDensity(8, 10_000);
        Assert.Equal(1, d.Observe(5));
        Assert.Equal(1, d.Observe(5));
        var p = d.Observe(6);
        Assert.True(p > 0 && p <= 1, $"probability {p}");
    }

    [Theory]
    [InlineData(7, 0.0)]
    [InlineData(0, 0.0)]
    [InlineData(8, 1.0)]
    public void An_odd_or_too_small_bin_count_or_a_phase_outside_a_bin_is_refused(int bins, double phase) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransitionDensity(bins, 10_000, phase));

    [Fact]
    public void Shifted_histograms_rate_a_move_across_a_bin_edge_like_its_neighbours()
    {
        // Levels 0 and 10 alternate, then 0 -> 10.4 and 0 -> 9.6: one set of bins may put an edge between
        // 10 and one of them; the average over three shifts keeps both close to the usual move.
        double Rarity(double next)
        {
            var s = new ShiftedTransitions(8, 10_000);
            for (var i = 0; i < 1000; i++) s.Observe(i % 2 == 0 ? 0 : 10);
            s.Observe(0);
            return s.Observe(next);
        }

        var usual = Rarity(10);
        var above = Rarity(10.4);
        var below = Rarity(9.6);
        var unseen = Rarity(0);

        Assert.True(usual < 0.1, $"usual move {usual}");
        Assert.True(above < 1.2 && below < 1.2, $"moves near the usual one: {above}, {below}");
        Assert.True(unseen > 3, $"a move never made {unseen}");
    }
}
