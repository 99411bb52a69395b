using System.Diagnostics;
using System.Text;
using Portico.TestSupport;

namespace Portico.BrowserTests;

/// <summary>
/// Portico as operators run it: <c>dotnet Portico.dll --config FILE</c> from this test's output
/// folder, in a temporary directory of its own. Ready once it prints its start-up banner; stopped
/// by ending exactly the process started here.
/// </summary>
internal sealed class PorticoProcess : IAsyncDisposable
{
    private const string ReadyLine = "Portico is running.";
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PorticoProcess(Process process, string directory)
    {
        _process = process;
        Directory = directory;
    }

    /// <summary>The folder holding the config file and Portico's data directory.</summary>
    public string Directory { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>Everything Portico printed so far (banner and log), for failure messages.</summary>
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

    public static async Task<PorticoProcess> StartAsync(string configJson, TimeSpan timeout)
    {
        var directory = Path.Combine(Path.GetTempPath(), "portico-browser-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "portico.json");
        await File.WriteAllTextAsync(configPath, configJson);

        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Portico.dll"));
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configPath);
        start.Environment["DOTNET_NOLOGO"] = "1";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var portico = new PorticoProcess(process, directory);
        process.OutputDataReceived += (_, e) => portico.Append(e.Data);
        process.ErrorDataReceived += (_, e) => portico.Append(e.Data);
        process.Exited += (_, _) => portico._ready.TrySetException(new InvalidOperationException($"Portico exited with code {process.ExitCode} before it was ready."));
        process.Start();
        // Should the test host end without disposing (a crash, a hang dump), Portico ends with it.
        AppDomain.CurrentDomain.ProcessExit += portico.KillOnExit;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await portico._ready.Task.WaitAsync(timeout);
        }
        catch (Exception ex)
        {
            var output = portico.Output;
            await portico.DisposeAsync();
            throw new InvalidOperationException($"Portico did not start: {ex.Message}{Environment.NewLine}{output}", ex);
        }

        return portico;
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        await ProcessStop.KillTreeAndDisposeAsync(_process, TimeSpan.FromSeconds(10));

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The dotnet host running these tests (the CLI exports it to child processes), else dotnet from PATH.</summary>
    internal static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
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
        }

        if (line.Contains(ReadyLine, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
