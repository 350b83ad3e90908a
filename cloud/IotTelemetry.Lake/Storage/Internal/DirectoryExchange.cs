using System.ComponentModel;
using System.Runtime.InteropServices;

namespace IotTelemetry.Lake.Internal;

/// <summary>
/// Swaps two directories in one step (Linux <c>renameat2(RENAME_EXCHANGE)</c>): a reader listing either path sees
/// the old contents or the new ones, never a mix and never nothing. Both must be on the same file system.
/// </summary>
internal static partial class DirectoryExchange
{
    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;

    public static void Exchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException($"Expected Linux for an atomic directory exchange, got {RuntimeInformation.OSDescription}");
        if (RenameAt2(AtFdCwd, a, AtFdCwd, b, RenameExchange) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Expected to exchange {a} and {b} atomically, but renameat2 failed: {new Win32Exception(errno).Message} (errno {errno})");
        }
    }

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);
}
