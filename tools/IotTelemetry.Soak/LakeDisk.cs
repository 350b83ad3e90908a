using System.Diagnostics;

namespace IotTelemetry.Soak;

/// <summary>
/// The lake's own small file system (tmpfs, mounted by root), so that the soak can fill it and free it again. Where
/// mounting is not permitted the disk-full fault is skipped and the table says so.
/// </summary>
internal sealed class LakeDisk : IAsyncDisposable
{
    private readonly string _path;

    private LakeDisk(string path, bool mounted, string note) { _path = path; Mounted = mounted; Note = note; }

    public bool Mounted { get; }
    public string Note { get; }

    public static async Task<LakeDisk> MountAsync(string path, string size)
    {
        var (code, output) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size}", "iott-soak-lake", path);
        return code == 0
            ? new LakeDisk(path, true, $"Lake on its own tmpfs of {size} at {path}")
            : new LakeDisk(path, false, $"Lake disk-full fault not possible here: mount -t tmpfs failed ({output.Trim()}); the lake stays on the ordinary disk");
    }

    /// <summary>Fills the file system to the last byte, keeps it full for <paramref name="length"/>, then frees it.</summary>
    public async Task FillAsync(TimeSpan length)
    {
        if (!Mounted) return;
        var filler = Path.Combine(_path, ".soak-filler");
        var chunk = new byte[1 << 20];
        await using (var f = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            try { while (true) f.Write(chunk); }
            catch (IOException) { } // ENOSPC: full
            try { f.Flush(); } catch (IOException) { }
        }
        await Task.Delay(length);
        File.Delete(filler);
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(info)!;
            var output = await p.StandardError.ReadToEndAsync() + await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            return (p.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception ex) { return (-1, ex.Message); }
    }

    /// <summary>Unmounts (after the reconciliation has read the lake: the lake lives in memory and goes with it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Mounted) await RunAsync("umount", "-l", _path);
    }
}
