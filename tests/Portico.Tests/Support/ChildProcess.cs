using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Portico.Tests.Support;

/// <summary>Processes a test starts (dotnet, the published Portico, systemd-analyze) and stops itself.</summary>
internal static class ChildProcess
{
    public const int SigTerm = 15;

    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>Runs the process to its end (killed, with its children, if it outlives <paramref name="limit"/>) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(ProcessStartInfo start, TimeSpan limit)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Sends a signal, as a service manager does (SIGTERM to stop); 0 when it was sent.</summary>
    public static int Signal(int pid, int signal) => Kill(pid, signal);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
