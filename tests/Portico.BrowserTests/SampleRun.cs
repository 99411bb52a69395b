using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Portico.TestSupport;

namespace Portico.BrowserTests;

/// <summary>
/// One run of <c>samples/run.sh</c> from the repository root, as a user types it, on ports of its
/// own (the script's <c>PORTICO_RUN_*</c> settings, so runs do not collide with each other or with
/// the rest of the suite), a data directory of its own and the Portico these tests were built with.
/// Its output (stdout and stderr, in order of arrival) is kept; the run is killed, with everything
/// under it, should it outlive its bound.
/// </summary>
internal sealed partial class SampleRun : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> _waits = [];
    private readonly string _dataDirectory;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private SampleRun(Process process, string dataDirectory, IReadOnlyDictionary<string, int> ports)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Ports = ports;
    }

    /// <summary>The ports the run was given, by setting name (PORTICO_RUN_HTTPS_PORT …).</summary>
    public IReadOnlyDictionary<string, int> Ports { get; }

    /// <summary>From the start to the end of the run (or to now).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The runner's process id (run.sh execs node run.mjs, so it is also the runner's).</summary>
    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Every process the runner said it started: "… (pid N)".</summary>
    public IReadOnlyList<int> StartedProcessIds =>
        [.. StartedPattern().Matches(Output).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The lines the sample's script printed for Sum(Sales) by Region: region → figure as printed.</summary>
    public IReadOnlyDictionary<string, string> PrintedSales =>
        SalesLinePattern().Matches(Output).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    /// <param name="ports">Port settings (PORTICO_RUN_HTTPS_PORT …) and their free ports.</param>
    public static SampleRun Start(string[] arguments, IReadOnlyDictionary<string, int> ports, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "portico-browser-tests", "run-" + Guid.NewGuid().ToString("n"));
        var start = new ProcessStartInfo(Path.Combine(MashupEnvironment.SamplesDirectory, "run.sh"))
        {
            WorkingDirectory = MashupEnvironment.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, port) in ports)
        {
            start.Environment[name] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        start.Environment["PORTICO_RUN_DATA"] = dataDirectory;
        start.Environment["PORTICO_RUN_DLL"] = Path.Combine(AppContext.BaseDirectory, "Portico.dll");
        start.Environment["PORTICO_RUN_SAMPLES_DLL"] = Path.Combine(AppContext.BaseDirectory, "Portico.Samples.dll");
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var run = new SampleRun(process, dataDirectory, ports);
        process.OutputDataReceived += (_, e) => run.Append(e.Data);
        process.ErrorDataReceived += (_, e) => run.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Completes when a line the run printed passes <paramref name="match"/> (fails after the run's bound).</summary>
    public Task WaitForLineAsync(Func<string, bool> match)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Split('\n').Any(l => match(l.TrimEnd('\r'))))
            {
                seen.TrySetResult();
            }
            else
            {
                _waits.Add((match, seen));
            }
        }

        return seen.Task.WaitAsync(Bound);
    }

    /// <summary>Waits for the run to end by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"samples/run.sh did not end within {Bound}:{Environment.NewLine}{Output}");
        }

        // The asynchronous readers may still hold the last lines.
        _process.WaitForExit();
        _clock.Stop();
        return _process.ExitCode;
    }

    /// <summary>Ctrl-C, to this one process (its children are in process groups of their own, so the runner must stop them).</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start("kill", ["-INT", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Nothing the run started is still running, its ports are free again and its config copy is gone.</summary>
    public void AssertNothingLeftRunning(string method)
    {
        var started = StartedProcessIds;
        Assert.NotEmpty(started);
        foreach (var id in started)
        {
            Assert.False(IsRunning(id), $"process {id} that samples/run.sh started is still running:{Environment.NewLine}{Output}");
        }

        foreach (var (name, port) in Ports)
        {
            // Nothing listens there any more (a connection is refused).
            using var client = new TcpClient();
            var refused = false;
            try
            {
                client.Connect(IPAddress.Loopback, port);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                refused = true;
            }

            Assert.True(refused, $"something still listens on {name} {port} after samples/run.sh ended:{Environment.NewLine}{Output}");
        }

        Assert.False(File.Exists(Path.Combine(MashupEnvironment.SamplesDirectory, method, $".portico-run-{Id}.json")), "the run's config copy was left behind");
    }

    public async ValueTask DisposeAsync()
    {
        await ProcessStop.KillTreeAndDisposeAsync(_process, TimeSpan.FromSeconds(10));

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Distinct ports free right now (all held open until each is known).</summary>
    public static Queue<int> FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return new Queue<int>(listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port));
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    private static bool IsRunning(int id)
    {
        try
        {
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var wait in _waits.Where(w => w.Match(line)).ToList())
            {
                wait.Seen.TrySetResult();
                _waits.Remove(wait);
            }
        }
    }

    [GeneratedRegex(@"\(pid (\d+)\)")]
    private static partial Regex StartedPattern();

    [GeneratedRegex(@"^ {5}(\S+) +([\d,]+)\r?$", RegexOptions.Multiline)]
    private static partial Regex SalesLinePattern();
}
