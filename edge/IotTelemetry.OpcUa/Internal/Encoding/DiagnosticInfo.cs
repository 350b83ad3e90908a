namespace IotTelemetry.OpcUa.Internal.Encoding;

/// <summary>Vendor-specific diagnostics for an operation (Part 6, 5.2.2.12). Indices point into a response's string table.</summary>
internal sealed record DiagnosticInfo(
    int? SymbolicId = null,
    int? NamespaceUri = null,
    int? Locale = null,
    int? LocalizedText = null,
    string? AdditionalInfo = null,
    StatusCode? InnerStatusCode = null,
    DiagnosticInfo? InnerDiagnosticInfo = null);
