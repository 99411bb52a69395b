using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Portico.TestSupport;

/// <summary>
/// Runs the real JavaScript Qlik clients in <c>tests/clients</c> under node, so tests exercise the
/// proxy and the engine with the same unmodified libraries mashups use.
/// </summary>
/// <example>
/// <code>
/// var result = await NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
/// {
///     Url = "ws://127.0.0.1:4747/app/engineData",
///     Headers = new Dictionary&lt;string, string&gt; { ["X-Qlik-User"] = "UserDirectory=CORP; UserId=alice" },
///     Steps = EnigmaSteps.FullSession,
/// });
/// </code>
/// </example>
public sealed class NodeClients
{
    /// <summary>The node script that drives an enigma.js session.</summary>
    public const string EnigmaScript = "enigma-session.mjs";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Past the script's own timeout, how long to wait before declaring the node process hung.</summary>
    private static readonly TimeSpan ProcessGrace = TimeSpan.FromSeconds(15);

    private static readonly Lazy<NodeClients> SharedInstance = new(() => new NodeClients(LocateClientsDirectory()));

    private readonly Lock _installGate = new();
    private Task? _install;

    /// <summary>Uses the given <c>tests/clients</c> folder.</summary>
    public NodeClients(string clientsDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientsDirectory);
        if (!File.Exists(Path.Combine(clientsDirectory, EnigmaScript)))
        {
            throw new DirectoryNotFoundException($"No {EnigmaScript} in '{clientsDirectory}'.");
        }

        ClientsDirectory = clientsDirectory;
    }

    /// <summary>The clients of this repository, located from the test assembly's folder.</summary>
    public static NodeClients Shared => SharedInstance.Value;

    /// <summary>The folder holding package.json and the scripts.</summary>
    public string ClientsDirectory { get; }

    /// <summary>
    /// The repository root: the nearest folder above <paramref name="startDirectory"/> (default: the
    /// test binaries) holding Portico.slnx, or failing that global.json.
    /// </summary>
    public static string LocateRepositoryRoot(string? startDirectory = null)
    {
        var start = new DirectoryInfo(startDirectory ?? AppContext.BaseDirectory);
        foreach (var marker in new[] { "Portico.slnx", "global.json" })
        {
            for (var directory = start; directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, marker)))
                {
                    return directory.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException($"No Portico.slnx or global.json above '{start.FullName}'.");
    }

    /// <summary>The <c>tests/clients</c> folder of the repository containing the running tests.</summary>
    public static string LocateClientsDirectory(string? startDirectory = null) =>
        Path.Combine(LocateRepositoryRoot(startDirectory), "tests", "clients");

    /// <summary>
    /// Runs <c>npm ci</c> unless the packages are already there. Guarded within the process and,
    /// through a lock file, across processes: test projects run in parallel and would otherwise
    /// install into the same node_modules at once. A failed install is retried on the next call.
    /// </summary>
    public Task EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        lock (_installGate)
        {
            if (_install is null || _install.IsFaulted || _install.IsCanceled)
            {
                _install = IsInstalled() ? Task.CompletedTask : InstallAsync();
            }

            return _install.WaitAsync(cancellationToken);
        }
    }

    private async Task InstallAsync()
    {
        await using var crossProcessLock = await AcquireInstallLockAsync().ConfigureAwait(false);
        if (IsInstalled())
        {
            return;
        }

        var npm = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";
        var run = await RunAsync(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], InstallTimeout, CancellationToken.None).ConfigureAwait(false);
        if (run.ExitCode != 0 || !IsInstalled())
        {
            throw new InvalidOperationException(
                $"npm ci failed in '{ClientsDirectory}' (exit {run.ExitCode}).{Environment.NewLine}{run.StandardError}{run.StandardOutput}");
        }
    }

    /// <summary>
    /// Runs one enigma.js session. Connection and protocol failures come back as a result with
    /// <see cref="EnigmaRunResult.Ok"/> false; an exception means the script itself could not run.
    /// </summary>
    public async Task<EnigmaRunResult> RunEnigmaAsync(EnigmaRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await EnsureInstalledAsync(cancellationToken).ConfigureAwait(false);

        var input = ToJson(request);
        var run = await RunAsync(
            "node",
            [EnigmaScript, input],
            TimeSpan.FromMilliseconds(request.TimeoutMs + request.HoldOpenMs) + ProcessGrace,
            cancellationToken).ConfigureAwait(false);

        var output = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (run.ExitCode != 0 || output is null)
        {
            throw new InvalidOperationException(
                $"{EnigmaScript} failed (exit {run.ExitCode}) for {input}{Environment.NewLine}{run.StandardError}{run.StandardOutput}");
        }

        return EnigmaRunResult.Parse(output);
    }

    /// <summary>
    /// Runs another script of <c>tests/clients</c> that takes its input as one JSON argument and
    /// prints one JSON line; returns that line. <paramref name="environment"/> is added to node's
    /// environment (e.g. NODE_EXTRA_CA_CERTS, which node reads only at start).
    /// </summary>
    public async Task<string> RunScriptAsync(
        string script,
        string input,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(script);
        ArgumentNullException.ThrowIfNull(input);
        var run = await RunNodeAsync([script, input], environment, timeout + ProcessGrace, cancellationToken).ConfigureAwait(false);
        var output = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (run.ExitCode != 0 || output is null)
        {
            throw new InvalidOperationException(
                $"{script} failed (exit {run.ExitCode}) for {input}{Environment.NewLine}{run.StandardError}{run.StandardOutput}");
        }

        return output;
    }

    /// <summary>
    /// Runs node in <c>tests/clients</c> (so scripts resolve the installed packages) with
    /// <paramref name="arguments"/> and extra environment variables, and returns its exit code and
    /// output; killed if it outlives <paramref name="timeout"/>.
    /// </summary>
    public async Task<(int ExitCode, string StandardOutput, string StandardError)> RunNodeAsync(
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        await EnsureInstalledAsync(cancellationToken).ConfigureAwait(false);
        var run = await RunAsync("node", arguments, timeout, cancellationToken, environment).ConfigureAwait(false);
        return (run.ExitCode, run.StandardOutput, run.StandardError);
    }

    private static string ToJson(EnigmaRunRequest request)
    {
        var json = new JsonObject
        {
            ["url"] = request.Url,
            ["steps"] = new JsonArray([.. request.Steps.Select(step => JsonValue.Create(step))]),
            ["holdOpenMs"] = request.HoldOpenMs,
            ["timeoutMs"] = request.TimeoutMs,
        };
        if (request.AppId is not null)
        {
            json["appId"] = request.AppId;
        }

        if (request.CaFile is not null)
        {
            json["caFile"] = Path.GetFullPath(request.CaFile);
        }

        if (request.Headers is not null)
        {
            var headers = new JsonObject();
            foreach (var (name, value) in request.Headers)
            {
                headers[name] = value;
            }

            json["headers"] = headers;
        }

        if (request.Origin is not null)
        {
            json["origin"] = request.Origin;
        }

        if (request.HyperCube is { } cube)
        {
            json["hyperCube"] = new JsonObject
            {
                ["dimensions"] = new JsonArray([.. cube.Dimensions.Select(d => JsonValue.Create(d))]),
                ["measures"] = new JsonArray([.. cube.Measures.Select(m => JsonValue.Create(m))]),
                ["rows"] = cube.Rows,
            };
        }

        return json.ToJsonString();
    }

    private bool IsInstalled() =>
        File.Exists(Path.Combine(ClientsDirectory, "node_modules", "enigma.js", "package.json"))
        && File.Exists(Path.Combine(ClientsDirectory, "node_modules", "ws", "package.json"));

    private async Task<FileStream> AcquireInstallLockAsync()
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(ClientsDirectory))))[..16];
        var path = Path.Combine(Path.GetTempPath(), $"portico-npm-ci-{key}.lock");
        var deadline = DateTime.UtcNow + InstallTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
            }
        }
    }

    private async Task<ProcessRun> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = ClientsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            // ArgumentList passes each argument verbatim: the JSON input needs no shell quoting.
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        var standardOutput = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var standardError = process.StandardError.ReadToEndAsync(cancellationToken);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new TimeoutException($"'{fileName} {string.Join(' ', arguments)}' did not finish within {timeout}.");
        }

        return new ProcessRun(process.ExitCode, await standardOutput.ConfigureAwait(false), await standardError.ConfigureAwait(false));
    }

    private sealed record ProcessRun(int ExitCode, string StandardOutput, string StandardError);
}
