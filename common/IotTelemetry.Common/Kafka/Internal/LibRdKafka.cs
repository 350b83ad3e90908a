using System.Runtime.InteropServices;

namespace IotTelemetry.Common.Kafka.Internal;

/// <summary>
/// The few librdkafka entry points Confluent.Kafka does not wrap: the built-in mock cluster. They are bound to the very
/// library Confluent.Kafka loaded (<see cref="KafkaLibrary"/>), so the mock cluster and the clients share one librdkafka.
/// </summary>
internal static partial class LibRdKafka
{
    private const string Lib = "librdkafka";

    static LibRdKafka() =>
        NativeLibrary.SetDllImportResolver(typeof(LibRdKafka).Assembly,
            (name, _, _) => name == Lib ? KafkaLibrary.Handle : IntPtr.Zero);

    public const int ProducerType = 0;
    public const int ConfOk = 0;

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_new")]
    public static partial IntPtr ConfNew();

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConfSet(IntPtr conf, string name, string value, byte[] errstr, nuint errstrSize);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_get", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConfGet(IntPtr conf, string name, byte[] dest, ref nuint destSize);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_destroy")]
    public static partial void ConfDestroy(IntPtr conf);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_new")]
    public static partial IntPtr New(int type, IntPtr conf, byte[] errstr, nuint errstrSize);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_destroy")]
    public static partial void Destroy(IntPtr rk);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_new")]
    public static partial IntPtr MockClusterNew(IntPtr rk, int brokerCount);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    public static partial void MockClusterDestroy(IntPtr mockCluster);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static partial IntPtr MockClusterBootstraps(IntPtr mockCluster);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockTopicCreate(IntPtr mockCluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_down")]
    public static partial int MockBrokerSetDown(IntPtr mockCluster, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_up")]
    public static partial int MockBrokerSetUp(IntPtr mockCluster, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_err2str")]
    public static partial IntPtr ErrorToString(int err);

    public static string Describe(int err) => Marshal.PtrToStringUTF8(ErrorToString(err)) ?? $"error {err}";

    /// <summary>A property's default value, read from a fresh configuration object.</summary>
    public static string ConfGetDefault(string name)
    {
        var conf = ConfNew();
        try
        {
            var value = new byte[1024];
            var size = (nuint)value.Length;
            var rc = ConfGet(conf, name, value, ref size);
            if (rc != ConfOk) throw new InvalidOperationException($"librdkafka has no property '{name}'");
            return ErrorText(value);
        }
        finally { ConfDestroy(conf); }
    }

    public static string ErrorText(byte[] errstr)
    {
        var end = Array.IndexOf(errstr, (byte)0);
        return System.Text.Encoding.UTF8.GetString(errstr, 0, end < 0 ? errstr.Length : end);
    }
}
