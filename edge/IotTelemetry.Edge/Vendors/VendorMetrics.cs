using IotTelemetry.Common.Metrics;

namespace IotTelemetry.Edge.Vendors;

/// <summary>Counters of vendor curation, exported at /metrics with a vendor label.</summary>
public sealed class VendorMetrics(Instruments registry)
{
    public TaggedCounter Curated(string vendor) =>
        registry.Counter("iott_edge_vendor_records_total", "Curated records acknowledged on the vendor topic", ("vendor", vendor));

    public TaggedCounter Late(string vendor) =>
        registry.Counter("iott_edge_vendor_late_readings_total", "Readings left out because their downsampling window was already emitted", ("vendor", vendor));

    public TaggedCounter Missing(string vendor) =>
        registry.Counter("iott_edge_vendor_missing_offsets_total",
            "Telemetry records never curated because the edge cluster had already deleted them (retention shorter than the curator's delay)", ("vendor", vendor));

    public TaggedCounter Restarts(string vendor) =>
        registry.Counter("iott_edge_vendor_restarts_total", "Curation sessions restarted after a failure", ("vendor", vendor));
}
