using System.Runtime.InteropServices;

namespace IotTelemetry.Benchmarks;

/// <summary>
/// CPU time of the calling thread (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>): a single-threaded
/// benchmark timed with it measures work per core, not how long other processes on a shared machine kept the thread
/// off the CPU. Falls back to wall time where the call is not available.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>True when the thread's CPU time is what <see cref="Seconds"/> reads.</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && Read(out _);

    /// <summary>Seconds of CPU time the calling thread has used (wall seconds when not <see cref="Available"/>).</summary>
    public static double Seconds() =>
        Available && Read(out var s) ? s : System.Diagnostics.Stopwatch.GetTimestamp() / (double)System.Diagnostics.Stopwatch.Frequency;

    private static bool Read(out double seconds)
    {
        try
        {
            var ok = ClockGetTime(ClockThreadCpuTimeId, out var t) == 0;
            seconds = t.Seconds + t.Nanoseconds / 1e9;
            return ok;
        }
        catch (DllNotFoundException)
        {
            seconds = 0;
            return false;
        }
    }
}
