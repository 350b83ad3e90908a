using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace IotTelemetry.Common.Kafka;

/// <summary>
/// Points Confluent.Kafka at Debian's librdkafka (apt: librdkafka1). Call once before the first client;
/// every factory in this assembly does.
/// </summary>
public static class KafkaNative
{
    public const string LibraryFile = "librdkafka.so.1";
    private static readonly Lazy<bool> Loaded = new(Load);

    public static void EnsureLoaded() => _ = Loaded.Value;

    private static bool Load()
    {
        if (!NativeLibrary.TryLoad(LibraryFile, out var handle))
            throw new InvalidOperationException(
                $"{LibraryFile} was not found. Install Debian's librdkafka: apt-get install -y librdkafka1 (make run and make test do this).");
        NativeLibrary.SetDllImportResolver(typeof(Library).Assembly,
            (name, _, _) => name == "librdkafka" ? handle : IntPtr.Zero);
        return true;
    }
}
