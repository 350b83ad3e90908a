using System.Text.Json.Nodes;
using IotTelemetry.Common.Configuration;
using IotTelemetry.Common.Readings;
using IotTelemetry.Edge.Vendors;

namespace IotTelemetry.Security.Tests;

/// <summary>The curation logic on its own: policies, windows, and resuming after a crash at any record.</summary>
public sealed class CurationTests
{
    private const long T0 = 1_795_248_000_000_000; // a whole minute, µs

    private static Reading R(string asset, string sensor, long offsetSeconds, double value, string site = "plant-t") =>
        new(site, asset, sensor, T0 + offsetSeconds * 1_000_000, value, Quality.Good, "mm/s", $"mqtt:plants/{site}/{asset}/{sensor}", T0);

    /// <summary>Readings of 3 sensors every 10 s for 5 minutes, interleaved as they would arrive, plus unrelated assets.</summary>
    private static List<Reading> Stream()
    {
        var list = new List<Reading>();
        for (var s = 0; s <= 300; s += 10)
        {
            list.Add(R("pump-01", "vibration", s, 1 + s / 10.0));
            list.Add(R("pump-02", "vibration", s, 100 + s));
            list.Add(R("press-01", "output", s, 5000 + s));
            list.Add(R("pump-01", "temperature", s, 60 + s / 100.0));
        }
        return list;
    }

    private static VendorPolicy Policy(TimeSpan? downsample, params string[] fields) => new()
    {
        Name = "pumpco",
        Assets = ["plant-t/pump-*/*"],
        Fields = [.. fields],
        Downsample = downsample,
        SitePseudonyms = new() { ["plant-t"] = "site-7" },
    };

    private static List<(CuratedRecord Record, ResumeMark Mark)> Run(PartitionCurator curator, List<Reading> stream, long from)
    {
        var output = new List<(CuratedRecord, ResumeMark)>();
        for (var offset = from; offset < stream.Count; offset++) curator.Process(offset, stream[(int)offset], (r, m) => output.Add((r, m)));
        return output;
    }

    private static JsonObject Json(CuratedRecord r) => JsonNode.Parse(r.Value)!.AsObject();

    [Theory]
    [InlineData("pump-*", "pump-07", true)]
    [InlineData("pump-*", "pumps", false)]
    [InlineData("p?mp-0?", "pump-01", true)]
    [InlineData("*", "", true)]
    [InlineData("*-01", "fan-01", true)]
    [InlineData("*-01", "fan-011", false)]
    [InlineData("pump-01", "PUMP-01", false)]
    public void Asset_patterns_are_globs_on_each_segment(string pattern, string text, bool expected) =>
        Assert.Equal(expected, SegmentGlob.IsMatch(pattern, text));

    [Fact]
    public void A_reading_outside_the_patterns_or_a_field_outside_the_policy_is_never_written()
    {
        var policy = Policy(null, "value");
        var state = new CurationState(policy);
        Assert.Null(state.Process(0, R("press-01", "output", 0, 1)));
        Assert.Null(state.Process(1, R("pump-01", "vibration", 0, 1, site: "plant-x")));
        var json = Json(state.Process(2, R("pump-01", "vibration", 0, 2.5))!);
        Assert.Equal(["schema", "vendor", "site", "asset", "sensor", "ts", "value"], json.Select(kv => kv.Key));
        Assert.Equal("site-7", (string)json["site"]!);
        Assert.Equal(2.5, (double)json["value"]!);
        Assert.Equal("2026-11-21T08:00:00.000000Z", (string)json["ts"]!);
    }

    [Fact]
    public void Downsampling_emits_the_mean_of_each_sensor_window_when_its_next_window_starts()
    {
        var policy = Policy(TimeSpan.FromMinutes(1), "value", "quality");
        var records = Run(new PartitionCurator(policy, null, null), Stream(), 0);
        // 3 matching sensors x 5 closed windows (the window of minute 5 is still open)
        Assert.Equal(15, records.Count);
        var pump1 = records.Select(r => Json(r.Record)).Where(j => (string)j["asset"]! == "pump-01" && (string)j["sensor"]! == "vibration").ToList();
        Assert.Equal([1 + 2.5, 7 + 2.5, 13 + 2.5, 19 + 2.5, 25 + 2.5], pump1.Select(j => (double)j["value"]!));
        Assert.All(pump1, j => Assert.Equal(6, (int)j["window"]!["count"]!));
        Assert.Equal("2026-11-21T08:01:00.000000Z", (string)pump1[1]["ts"]!);
        Assert.Equal("2026-11-21T08:02:00.000000Z", (string)pump1[1]["window"]!["end"]!);
    }

    [Fact]
    public void A_late_reading_for_an_emitted_window_is_left_out_and_counted()
    {
        var state = new CurationState(Policy(TimeSpan.FromMinutes(1), "value"));
        Assert.Null(state.Process(0, R("pump-01", "vibration", 70, 1)));
        Assert.Null(state.Process(1, R("pump-01", "vibration", 10, 1)));
        Assert.Equal(1, state.LateReadings);
    }

    public static TheoryData<bool, bool> Policies => new() { { false, false }, { true, false }, { true, true }, { false, true } };

    /// <summary>
    /// For every possible crash point k (the vendor partition holds the first k records), a restarted curator
    /// given the last of them continues so that the partition ends up exactly as without the crash, or, when the
    /// policy changed at the restart, so that every matching reading is accounted for exactly once.
    /// </summary>
    [Theory]
    [MemberData(nameof(Policies))]
    public void Resuming_after_a_crash_at_any_record_loses_and_doubles_nothing(bool downsampleBefore, bool changePolicy)
    {
        var stream = Stream();
        var before = Policy(downsampleBefore ? TimeSpan.FromMinutes(1) : null, "value");
        var after = changePolicy ? Policy(TimeSpan.FromSeconds(30), "value", "unit") : before;
        var uninterrupted = Run(new PartitionCurator(before, null, null), stream, 0);
        for (var k = 1; k <= uninterrupted.Count; k++)
        {
            var kept = uninterrupted.Take(k).ToList();
            var mark = kept[^1].Mark;
            var previous = mark.PolicyVersion != after.Version ? before : null;
            var resumed = Run(new PartitionCurator(after, mark, previous), stream, mark.ReplayFrom);
            var all = kept.Concat(resumed).ToList();
            if (!changePolicy)
            {
                Assert.Equal(uninterrupted.Select(r => Json(r.Record).ToJsonString()), all.Select(r => Json(r.Record).ToJsonString()));
                continue;
            }
            // every matching reading exactly once: per sensor, the counts and sums of all records add up
            var expected = stream.Where(before.Matches).GroupBy(r => r.Asset + "/" + r.Sensor).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var (sensor, readings) in expected)
            {
                var records = all.Select(r => Json(r.Record)).Where(j => $"{j["asset"]}/{j["sensor"]}" == sensor).ToList();
                var count = records.Sum(j => j["window"] is { } w ? (int)w["count"]! : 1);
                var sum = records.Sum(j => (double)j["value"]! * (j["window"] is { } w ? (int)w["count"]! : 1));
                var open = readings.Count - count; // readings still in a window that has not closed yet
                Assert.InRange(open, 0, 3);
                Assert.Equal(readings.Take(readings.Count - open).Sum(r => r.Value), sum, 6);
            }
            var marks = all.Select(r => (r.Mark.Trigger, r.Mark.Sequence)).ToList();
            Assert.Equal(marks.Distinct().Count(), marks.Count);
        }
    }

    [Fact]
    public void The_policy_version_changes_with_any_content_and_survives_a_round_trip()
    {
        var a = Policy(TimeSpan.FromMinutes(1), "value");
        var b = Policy(TimeSpan.FromMinutes(1), "value", "unit");
        Assert.NotEqual(a.Version, b.Version);
        Assert.Equal(a.Version, VendorPolicy.FromCanonicalJson(a.ToCanonicalJson()).Version);
        Assert.Equal(16, a.Version.Length);
    }

    [Fact]
    public void An_invalid_vendor_policy_is_reported_with_its_configuration_key()
    {
        var errors = new ConfigErrors();
        VendorSettings.Validate(
        [
            new VendorPolicy { Name = "pumpco", Assets = ["plant-t/pump-*/*", "pump-*"], Fields = ["value", "secret"] },
            new VendorPolicy { Name = "pumpco", Assets = [], Downsample = TimeSpan.Zero },
        ], "telemetry", errors);
        Assert.Contains("Vendors:0:Assets:1: expected a pattern site/asset/sensor with globs such as plant-a/pump-*/*, got 'pump-*'", errors.Problems);
        Assert.Contains(errors.Problems, p => p.StartsWith("Vendors:0:Fields:1: expected one of value, unit, quality, source, ingestTs, got 'secret'"));
        Assert.Contains(errors.Problems, p => p.StartsWith("Vendors:1:Assets: expected at least one"));
        Assert.Contains(errors.Problems, p => p.StartsWith("Vendors:1:Downsample:"));
        Assert.Contains(errors.Problems, p => p.StartsWith("Vendors:1:Name: expected a vendor name used once"));
    }
}
