using System.Globalization;
using IotTelemetry.Demo;

namespace IotTelemetry.Soak;

/// <summary>
/// One of the pipeline's processes under the soak's supervision: started by <c>start</c>, SIGKILLed or stopped by the
/// fault schedule and started again, started again too when it exits by itself (as systemd would), with its restarts
/// and its peak resident memory (VmRSS, sampled every second) counted.
/// </summary>
internal sealed class Supervised(string name, Func<Task<ChildProcess>> start) : IAsyncDisposable
{
    private ChildProcess? _current;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Name { get; } = name;
    public int Kills { get; private set; }
    public int Restarts { get; private set; }
    public int UnexpectedExits { get; private set; }
    public long PeakRssKiB { get; private set; }
    public ChildProcess? Current => _current;

    private bool _wanted;

    public async Task StartAsync()
    {
        _wanted = true;
        _current = await start();
    }

    /// <summary>SIGKILL, then a new process after <paramref name="down"/>.</summary>
    public async Task KillAndRestartAsync(TimeSpan down)
    {
        await _gate.WaitAsync();
        try
        {
            if (_current is not null) { await _current.KillAsync(); await _current.DisposeAsync(); _current = null; }
            Kills++;
            await Task.Delay(down);
            _current = await start();
            Restarts++;
        }
        finally { _gate.Release(); }
    }

    /// <summary>SIGTERM (an orderly stop: mosquitto saves its sessions), then a new process after <paramref name="down"/>.</summary>
    public async Task StopAndRestartAsync(TimeSpan down)
    {
        await _gate.WaitAsync();
        try
        {
            if (_current is not null) { await _current.StopAsync(TimeSpan.FromSeconds(15)); await _current.DisposeAsync(); _current = null; }
            await Task.Delay(down);
            _current = await start();
            Restarts++;
        }
        finally { _gate.Release(); }
    }

    /// <summary>Once a second: samples memory, and starts the process again if it exited by itself.</summary>
    public async Task WatchAsync()
    {
        if (!await _gate.WaitAsync(0)) return;
        try
        {
            if (_current is null)
            {
                // A restart that failed (the process did not come up in time): try again.
                if (!_wanted) return;
                _current = await start();
                Restarts++;
                return;
            }
            if (_current.HasExited)
            {
                Console.WriteLine($"  {Name} exited by itself (code {_current.ExitCode}); starting it again (see {_current.LogFile})");
                await _current.DisposeAsync();
                _current = null;
                UnexpectedExits++;
                _current = await start();
                Restarts++;
                return;
            }
            PeakRssKiB = Math.Max(PeakRssKiB, RssKiB(_current.Id));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
        {
            Console.WriteLine($"  {Name} could not be started again yet: {ex.Message}");
        }
        finally { _gate.Release(); }
    }

    /// <summary>An orderly stop at the end of the run.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await _gate.WaitAsync();
        _wanted = false;
        try { if (_current is not null) await _current.StopAsync(grace); }
        finally { _gate.Release(); }
    }

    private static long RssKiB(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        return 0;
    }

    /// <summary>Stops the process (a second call does nothing).</summary>
    public async ValueTask DisposeAsync()
    {
        var current = Interlocked.Exchange(ref _current, null);
        if (current is not null) await current.DisposeAsync();
    }
}
