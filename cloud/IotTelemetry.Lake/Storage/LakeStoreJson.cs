using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace IotTelemetry.Lake;

/// <summary>Small JSON documents in a store (intents, tombstones, a catalog), through System.Text.Json source-generated contracts.</summary>
public static class LakeStoreJson
{
    /// <summary>The document at <paramref name="key"/>, or null when there is none; <see cref="InvalidDataException"/> when it is not one.</summary>
    public static T? ReadJson<T>(this ILakeStore store, string key, JsonTypeInfo<T> type) where T : class
    {
        ArgumentNullException.ThrowIfNull(store);
        var bytes = store.ReadAllBytes(key);
        if (bytes is null) return null;
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new InvalidDataException($"Expected a {typeof(T).Name} in {store.Describe(key)}, got null");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Expected a {typeof(T).Name} in {store.Describe(key)}: {ex.Message}", ex);
        }
    }

    /// <summary>Replaces the document at <paramref name="key"/> in one step.</summary>
    public static void WriteJson<T>(this ILakeStore store, string key, T value, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.WriteAllBytes(key, JsonSerializer.SerializeToUtf8Bytes(value, type));
    }
}
