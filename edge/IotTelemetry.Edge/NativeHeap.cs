using System.Runtime.InteropServices;

namespace IotTelemetry.Edge;

/// <summary>
/// glibc's malloc gives threads that allocate at the same time arenas of their own, up to eight per core, each keeping
/// what it once held; librdkafka allocates on a dozen threads (one per broker connection and client), so the agent's
/// native memory grew with the number of arenas rather than with what it holds. Capping the count (as
/// <c>MALLOC_ARENA_MAX</c> does) at start-up, before any Kafka client exists, costs no measurable speed
/// (README: Memory). Nothing happens on other C libraries (musl has one heap) or systems.
/// </summary>
internal static class NativeHeap
{
    private const int ArenaMaxParameter = -8; // glibc's M_ARENA_MAX

    /// <summary>Caps glibc's malloc arenas at <paramref name="arenas"/> unless MALLOC_ARENA_MAX already says otherwise.</summary>
    public static void LimitArenas(int arenas)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null) return;
        try { _ = MallOpt(ArenaMaxParameter, arenas); }
        catch (EntryPointNotFoundException) { } // not glibc
        catch (DllNotFoundException) { }
    }

    // DllImport, not LibraryImport: two ints need no marshalling, and LibraryImport would need unsafe code in the project.
    [DllImport("libc", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallOpt(int parameter, int value);
}
