using System.Runtime.InteropServices;

namespace IotTelemetry.Demo;

/// <summary>SIGTERM for a child process: .NET only offers SIGKILL, and the hosts shut down cleanly on SIGTERM.</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static void Terminate(int pid) => _ = Kill(pid, SigTerm);
}
