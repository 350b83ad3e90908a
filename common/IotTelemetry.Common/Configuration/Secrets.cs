namespace IotTelemetry.Common.Configuration;

/// <summary>
/// Secrets come from configuration (environment variables in practice) or from a file named by a
/// companion <c>...File</c> key (Docker/Kubernetes secrets). The value is never logged.
/// </summary>
public static class Secrets
{
    /// <summary>The inline value if set, else the trimmed contents of <paramref name="file"/>, else null.</summary>
    public static string? Resolve(string? inline, string? file, string fileKey, ConfigErrors errors)
    {
        if (!string.IsNullOrEmpty(inline)) return inline;
        if (string.IsNullOrEmpty(file)) return null;
        if (!File.Exists(file))
        {
            errors.Add(fileKey, "a readable file holding the secret", file);
            return null;
        }
        return File.ReadAllText(file).TrimEnd('\r', '\n');
    }

    /// <summary>A stand-in for showing that a secret is set without showing it.</summary>
    public static string Mask(string? secret) => string.IsNullOrEmpty(secret) ? "(not set)" : "***";
}
