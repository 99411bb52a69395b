using System.Diagnostics;

namespace Portico.BrowserTests;

/// <summary>
/// The samples' npm packages (samples/package.json): installed with <c>npm ci</c> when the copy of
/// the lock file that marks an install (test.sh leaves the same mark) is missing or out of date,
/// and the samples' Node.js scripts run with them.
/// </summary>
internal static class SamplePackages
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private static string LockFile => Path.Combine(MashupEnvironment.SamplesDirectory, "package-lock.json");

    private static string InstalledMark => Path.Combine(MashupEnvironment.SamplesDirectory, "node_modules", ".portico-installed-lock");

    public static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (File.Exists(InstalledMark) && File.ReadAllBytes(InstalledMark).AsSpan().SequenceEqual(File.ReadAllBytes(LockFile)))
            {
                return;
            }

            var (exitCode, output) = await RunAsync(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], null, TimeSpan.FromMinutes(5));
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"npm ci failed in samples/ (exit {exitCode}):{Environment.NewLine}{output}");
            }

            File.Copy(LockFile, InstalledMark, overwrite: true);
        }
        finally
        {
            InstallGate.Release();
        }
    }

    /// <summary>Runs <c>node samples/{method}/{method}.mjs --json</c> with <paramref name="environment"/>; returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunScriptAsync(string method, IReadOnlyDictionary<string, string> environment) =>
        RunAsync("node", [Path.Combine(MashupEnvironment.SamplesDirectory, method, method + ".mjs"), "--json"], environment, TimeSpan.FromSeconds(60));

    /// <summary>Runs a child process in samples/; it is killed (with its children) if it outlives <paramref name="timeout"/>.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = MashupEnvironment.SamplesDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not end within {timeout}: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
