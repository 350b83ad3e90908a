using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace IotTelemetry.Common.Kafka;

/// <summary>
/// The librdkafka build that Confluent.Kafka loaded from the librdkafka.redist package (runtimes/&lt;rid&gt;/native).
/// On linux-x64 Confluent.Kafka tries the package's main <c>librdkafka.so</c> first and falls back to
/// <c>centos8-librdkafka.so</c> when that cannot load (on Debian 12 it needs <c>libsasl2.so.3</c>, which Debian lacks);
/// it does not say which. <see cref="File"/> says, and <see cref="Handle"/> is that same library, for the entry points
/// Confluent.Kafka does not wrap (the mock cluster).
/// </summary>
public static class KafkaLibrary
{
    private static readonly Lazy<(IntPtr Handle, string File)> Loaded = new(Load);

    /// <summary>librdkafka's version, e.g. 2.16.0.</summary>
    public static string Version => Library.VersionString;

    /// <summary>Path of the native library in use (on platforms without /proc, the name it was loaded by).</summary>
    public static string File => Loaded.Value.File;

    /// <summary>
    /// What this build was compiled with (librdkafka's <c>builtin.features</c>), e.g. ssl, sasl_plain, sasl_scram, zstd.
    /// </summary>
    public static IReadOnlySet<string> BuiltinFeatures => Features.Value;

    /// <summary>One line for start-up logs: version and file name.</summary>
    public static string Description => $"librdkafka {Version}, {Path.GetFileName(File)}";

    private static readonly Lazy<IReadOnlySet<string>> Features = new(() =>
        Internal.LibRdKafka.ConfGetDefault("builtin.features").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));

    internal static IntPtr Handle => Loaded.Value.Handle;

    private static (IntPtr, string) Load()
    {
        // Makes Confluent.Kafka load librdkafka its own way (idempotent).
        _ = Library.VersionString;
        if (!OperatingSystem.IsLinux())
            return (NativeLibrary.Load("librdkafka", typeof(Library).Assembly, null), "librdkafka");
        var files = LoadedFiles();
        if (files.Count != 1)
            throw new InvalidOperationException(
                "expected exactly one librdkafka in this process, found " + (files.Count == 0 ? "none" : string.Join(", ", files)));
        // dlopen of a file that is already loaded returns the loaded copy.
        return (NativeLibrary.Load(files[0]), files[0]);
    }

    /// <summary>The librdkafka files mapped into this process (Linux: /proc/self/maps).</summary>
    private static List<string> LoadedFiles() =>
        System.IO.File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/') is var at and >= 0 ? line[at..] : "")
            .Where(path => Path.GetFileName(path) is var name && name.Contains("librdkafka", StringComparison.Ordinal)
                && !name.Contains("librdkafka++", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
