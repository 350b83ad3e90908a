namespace IotTelemetry.Lake.Rollups;

/// <summary>
/// One row of a rollup file: a sensor's partial aggregate over the interval starting at <see cref="TimeMicros"/>.
/// The site is not a column: it is the <c>site=</c> partition directory, as in the raw lake.
/// </summary>
public sealed record RollupRow(long TimeMicros, string Asset, string Sensor, string Unit, RollupAggregate Aggregate)
{
    /// <summary>Rows of one sensor and interval merge; a unit change within an interval keeps two rows.</summary>
    public (long, string, string, string) Key => (TimeMicros, Asset, Sensor, Unit);
}
