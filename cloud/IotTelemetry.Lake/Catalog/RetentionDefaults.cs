namespace IotTelemetry.Lake.Catalog;

/// <summary>How many days each tier is kept unless told otherwise: raw readings about a year, 1-minute summaries two, 1-hour summaries five.</summary>
public static class RetentionDefaults
{
    public static int KeepDays(string dataset) => dataset switch
    {
        "rollup-1m" => 730,
        "rollup-1h" => 1825,
        _ => 365,
    };
}
