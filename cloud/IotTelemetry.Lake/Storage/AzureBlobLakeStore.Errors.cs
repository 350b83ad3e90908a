using Azure;
using Azure.Identity;

namespace IotTelemetry.Lake;

/// <summary>
/// One place that turns the SDK's failures into <see cref="LakeStoreException"/> (or <see cref="FileNotFoundException"/>
/// for a missing blob): the operation, the blob's URL without its query, the status and error code, and whether trying
/// again may help. The SDK itself redacts signatures and keys from the messages it builds.
/// </summary>
public sealed partial class AzureBlobLakeStore
{
    private T Call<T>(string operation, string key, Func<T> action)
    {
        try { return action(); }
        catch (Exception ex) when (IsTransport(ex)) { throw Fault(operation, key, ex); }
    }

    private void Call(string operation, string key, Action action) => Call(operation, key, () => { action(); return true; });

    private static bool IsTransport(Exception ex) =>
        ex is RequestFailedException or AuthenticationFailedException or CredentialUnavailableException or AggregateException or HttpRequestException
            or TimeoutException or TaskCanceledException;

    private Exception Fault(string operation, string key, Exception ex)
    {
        var where = Describe(key);
        if (ex is RequestFailedException { Status: 404 } notFound && notFound.ErrorCode is "BlobNotFound" or null)
            return new FileNotFoundException($"Expected the blob {where}, it does not exist", where, ex);
        var (detail, transient) = ex switch
        {
            RequestFailedException r => ($"status {r.Status} {r.ErrorCode}", r.Status is 408 or 429 or >= 500),
            AuthenticationFailedException or CredentialUnavailableException => ($"no credential: {FirstLine(ex.Message)}", false),
            _ => ($"{ex.GetType().Name}: {FirstLine(ex.InnerException?.Message ?? ex.Message)}", true),
        };
        return new LakeStoreException($"Expected to {operation} {where}, but the blob service answered {detail}", transient, ex);
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
