using System.Collections;
using System.Runtime.InteropServices;
using System.Text;

namespace IotTelemetry.Edge;

/// <summary>
/// The agent's allocation budget between two young-generation collections. The workstation GC sized it at about 17 MB
/// here (a third of the agent's managed heap at 20,000 readings/s, all of it short-lived garbage); 2 MiB took 15 MB off the
/// agent's RSS in every phase of <c>make bench ARGS=edgemem</c> (README: Memory). The runtime reads this setting
/// (<c>DOTNET_GCgen0size</c>) from the environment only, once, as it starts: no runtimeconfig.json knob sets it (tried
/// <c>System.GC.Gen0Size</c>, <c>System.GC.gen0size</c> and <c>GCgen0size</c>: no effect). So the agent, started
/// without it, executes itself again at once with it set: the same process (same PID, arguments and standard streams) with
/// a new runtime, before anything is opened. Every way of starting the agent (systemd, compose, Kubernetes, the image,
/// <c>make run</c>, the tests) gets the same memory without each having to say so. Setting <c>DOTNET_GCgen0size</c>
/// yourself (any value; 0 is the runtime's own sizing) skips this.
/// </summary>
internal static class GcBudget
{
    public const string Variable = "DOTNET_GCgen0size";

    /// <summary>2 MiB, in the hexadecimal the runtime reads.</summary>
    public const string Value = "0x200000";

    /// <summary>Set in the executed-again process, so that a runtime that ignored the budget never loops.</summary>
    private const string Marker = "IOTT_GC_BUDGET_APPLIED";

    /// <summary>
    /// Executes this process again with <see cref="Variable"/> set, unless it is set already; returns only where that
    /// cannot be done (not Linux, or exec refused), and the agent then runs with the runtime's own budget.
    /// </summary>
    public static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) is not null
            || Environment.GetEnvironmentVariable(Marker) is not null)
            return;
        string[] argv;
        string executable;
        try
        {
            var cmdline = Encoding.UTF8.GetString(File.ReadAllBytes("/proc/self/cmdline")); // each argument ends with a NUL
            argv = cmdline.Length == 0 ? [] : cmdline[..^1].Split('\0');
            executable = new FileInfo("/proc/self/exe").LinkTarget ?? Environment.ProcessPath ?? "";
        }
        catch (IOException) { return; }
        catch (UnauthorizedAccessException) { return; }
        if (argv.Length == 0 || executable.Length == 0) return;
        var environment = new List<string?>();
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) environment.Add($"{e.Key}={e.Value}");
        environment.Add($"{Variable}={Value}");
        environment.Add($"{Marker}=1");
        environment.Add(null);
        Console.Out.Flush();
        Console.Error.Flush();
        RemoveDiagnosticsSocket();
        try { _ = Exec(executable, [.. argv, null], [.. environment]); } // returns only on failure: go on as we are
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or MarshalDirectiveException) { }
    }

    /// <summary>
    /// The runtime's diagnostics socket (dotnet-trace, dotnet-counters) is named after the PID and the process's start time,
    /// both of which survive exec, and the runtime does not remove it when exec replaces it: left in place, the new runtime
    /// could not listen on that name and the agent could not be traced.
    /// </summary>
    private static void RemoveDiagnosticsSocket()
    {
        var directory = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } tmp ? tmp : "/tmp";
        try
        {
            foreach (var socket in Directory.EnumerateFiles(directory, $"dotnet-diagnostic-{Environment.ProcessId}-*-socket")) File.Delete(socket);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    // LPStr is UTF-8 on Unix.
    [DllImport("libc", EntryPoint = "execve", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Exec([MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] argv,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] envp);
}
