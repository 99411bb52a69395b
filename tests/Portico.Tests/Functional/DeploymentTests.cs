using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>
/// The deployment unit as docs/operations.md ("Deployment") describes it: the documented publish
/// command, the published Portico checking and running the example configuration, and the systemd
/// unit in deploy/ agreeing with both. One publish is shared by the tests.
/// </summary>
public sealed partial class DeploymentTests(DeploymentTests.Published published) : IClassFixture<DeploymentTests.Published>
{
    private static readonly string Root = Portico.TestSupport.NodeClients.LocateRepositoryRoot();

    [Fact]
    public void ServiceUnit_RunsThePublishedPorticoAsAnUnprivilegedUser_WithConfigurationApartFromData()
    {
        var unit = SystemdUnit.Parse(File.ReadAllText(Path.Combine(Root, "deploy", "portico.service")));
        var config = ExampleConfig();

        Assert.Equal("/opt/portico/Portico --config /etc/portico/portico.json", unit.Single("Service", "ExecStart"));
        Assert.NotEqual("root", unit.Single("Service", "User"));
        Assert.Equal("CAP_NET_BIND_SERVICE", unit.Single("Service", "AmbientCapabilities"));
        Assert.Equal("CAP_NET_BIND_SERVICE", unit.Single("Service", "CapabilityBoundingSet"));
        Assert.Equal("true", unit.Single("Service", "NoNewPrivileges"));
        Assert.Equal("strict", unit.Single("Service", "ProtectSystem"));

        // The only writable folder is the data directory; the configuration's folder is another one.
        Assert.Equal("/var/lib/" + unit.Single("Service", "StateDirectory"), config["dataDirectory"]!.GetValue<string>());
        Assert.Equal("/etc/" + unit.Single("Service", "ConfigurationDirectory") + "/portico.json", unit.Single("Service", "ExecStart").Split(' ')[2]);

        // systemd waits for the drain before it kills.
        Assert.Equal("SIGTERM", unit.Single("Service", "KillSignal"));
        var drain = config["shutdown"]!["drainSeconds"]!.GetValue<int>();
        Assert.True(int.Parse(unit.Single("Service", "TimeoutStopSec"), System.Globalization.CultureInfo.InvariantCulture) >= drain + 10,
            $"TimeoutStopSec must leave shutdown.drainSeconds ({drain}) and a margin");
    }

    [Fact]
    public async Task ServiceUnit_PassesSystemdVerification_WithThePublishedExecutable()
    {
        var directory = Directory.CreateTempSubdirectory("portico-unit-");
        var unit = File.ReadAllText(Path.Combine(Root, "deploy", "portico.service")).Replace("/opt/portico/", published.Directory + "/", StringComparison.Ordinal);
        var path = Path.Combine(directory.FullName, "portico.service");
        await File.WriteAllTextAsync(path, unit);

        var (exitCode, output) = await RunAsync("systemd-analyze", ["verify", path], directory.FullName);

        // systemd only warns about unknown keys and unparsable values: any output is a mistake.
        Assert.True(exitCode == 0 && output.Trim().Length == 0, output);
    }

    [Fact]
    public async Task PublishedPortico_ChecksTheExampleConfiguration()
    {
        var config = await WriteExampleConfigAsync();

        var (exitCode, output) = await RunAsync(published.Executable, ["--config", config, "--check"], Path.GetDirectoryName(config)!);

        Assert.True(exitCode == 0, output);
        Assert.Contains("is valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishedPortico_BadLogLevelInTheEnvironment_IsAnErrorNamingTheVariable()
    {
        var config = await WriteExampleConfigAsync();

        var (exitCode, output) = await RunAsync(published.Executable, ["--config", config, "--check"], Path.GetDirectoryName(config)!,
            new Dictionary<string, string> { ["Logging__LogLevel__Portico.Sessions"] = "Loud" });

        Assert.Equal(2, exitCode);
        Assert.Contains("Logging__LogLevel__Portico.Sessions (environment variable): \"Loud\" is not a log level; use one of Trace, Debug, Information, Warning, Error, Critical or None", output, StringComparison.Ordinal);
    }

    /// <summary>JSON logs, the access log in them, and a stop on SIGTERM well within the unit's stop timeout.</summary>
    [Fact]
    public async Task PublishedPortico_WritesJsonLogLinesWithTheAccessLog_AndStopsOnSigterm()
    {
        var config = await WriteExampleConfigAsync(json => json["logging"]!["format"] = "json");
        using var process = Process.Start(ChildProcess.StartInfo(published.Executable, ["--config", config], Path.GetDirectoryName(config)!,
            new Dictionary<string, string> { ["Logging__LogLevel__Portico.Access"] = "Information" }))!;
        var output = new StringBuilder();
        string Output()
        {
            lock (output)
            {
                return output.ToString();
            }
        }

        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.TrueAsync(() => Output().Contains("Portico is running.", StringComparison.Ordinal) || process.HasExited, TimeSpan.FromSeconds(60), "Portico to start");
            Assert.False(process.HasExited, Output());
            var port = int.Parse(HttpsPort().Match(Output()).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var ca = Path.Combine(Path.GetDirectoryName(config)!, "data", Portico.Certificates.DevelopmentCertificates.CaFileName);
            using (var client = TlsTrust.HttpClient(ca))
            {
                using var response = await client.GetAsync(new Uri($"https://localhost:{port}/hub/?qlikTicket=S3cretT1cket"));
            }

            await Eventually.TrueAsync(() => AccessEntries(Output()).Any(), TimeSpan.FromSeconds(10), "the access log entry");
            var entry = AccessEntries(Output()).First();
            Assert.Equal(9001, entry.GetProperty("EventId").GetInt32());
            Assert.Equal("/hub/", entry.GetProperty("State").GetProperty("Path").GetString());
            Assert.Equal("?qlikTicket=***", entry.GetProperty("State").GetProperty("Query").GetString());
            Assert.DoesNotContain("S3cretT1cket", Output(), StringComparison.Ordinal);

            var stopwatch = Stopwatch.StartNew();
            Assert.Equal(0, ChildProcess.Signal(process.Id, ChildProcess.SigTerm));
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(stopping.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"stopping took {stopwatch.Elapsed}, beyond the unit's TimeoutStopSec");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static IEnumerable<JsonElement> AccessEntries(string output)
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            var entry = JsonDocument.Parse(line).RootElement;
            if (entry.GetProperty("Category").GetString() == "Portico.Access")
            {
                yield return entry;
            }
        }
    }

    private static JsonNode ExampleConfig() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "deploy", "portico.json")), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;

    /// <summary>
    /// deploy/portico.json made runnable here: loopback ports chosen by the OS, a development
    /// certificate instead of /etc/portico/certs, and a data directory of its own.
    /// </summary>
    private static async Task<string> WriteExampleConfigAsync(Action<JsonNode>? change = null)
    {
        var json = ExampleConfig();
        json["listeners"] = JsonNode.Parse("""{ "https": { "address": "127.0.0.1", "port": 0 }, "http": null, "qpsApi": null }""");
        json.AsObject().Remove("certificate");
        json["qpsApi"] = JsonNode.Parse("{}");
        json["dataDirectory"] = "data";
        change?.Invoke(json);
        var directory = Directory.CreateTempSubdirectory("portico-deploy-");
        var path = Path.Combine(directory.FullName, "portico.json");
        await File.WriteAllTextAsync(path, json.ToJsonString());
        return path;
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        ChildProcess.RunToEndAsync(ChildProcess.StartInfo(file, args, workingDirectory, environment), TimeSpan.FromMinutes(5));

    [GeneratedRegex(@"HTTPS\s+https://[^/\s]+:([0-9]+)/")]
    private static partial Regex HttpsPort();

    /// <summary>Portico published once, with the command docs/operations.md gives (its output folder replaced).</summary>
    public sealed class Published : IAsyncLifetime
    {
        public string Directory { get; private set; } = "";

        public string Executable => Path.Combine(Directory, "Portico");

        public async Task InitializeAsync()
        {
            var docs = await File.ReadAllLinesAsync(Path.Combine(Root, "docs", "operations.md"));
            var command = docs.Select(l => l.Trim()).First(l => l.StartsWith("dotnet publish src/Portico/Portico.csproj", StringComparison.Ordinal) && !l.Contains("--self-contained", StringComparison.Ordinal));
            var args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            var output = args.IndexOf("-o");
            Assert.True(output > 0, $"the documented command names no output folder: {command}");
            Directory = System.IO.Directory.CreateTempSubdirectory("portico-publish-").FullName;
            args[output + 1] = Directory;

            var (exitCode, log) = await RunAsync("dotnet", args, Root);

            Assert.True(exitCode == 0, $"{command}{Environment.NewLine}{log}");
            Assert.True(File.Exists(Executable), $"no Portico executable in the published folder:{Environment.NewLine}{log}");
        }

        public Task DisposeAsync()
        {
            System.IO.Directory.Delete(Directory, recursive: true);
            return Task.CompletedTask;
        }
    }

    /// <summary>The [Section] and Key=Value lines of a systemd unit (comments and blank lines skipped).</summary>
    private sealed class SystemdUnit(List<(string Section, string Key, string Value)> entries)
    {
        public static SystemdUnit Parse(string text)
        {
            var entries = new List<(string, string, string)>();
            var section = "";
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] is '#' or ';')
                {
                    continue;
                }

                if (line[0] == '[')
                {
                    section = line.Trim('[', ']');
                    continue;
                }

                var equals = line.IndexOf('=', StringComparison.Ordinal);
                Assert.True(equals > 0, $"not a Key=Value line in section [{section}]: {line}");
                entries.Add((section, line[..equals].Trim(), line[(equals + 1)..].Trim()));
            }

            return new SystemdUnit(entries);
        }

        public string Single(string section, string key) =>
            Assert.Single(entries, e => e.Section == section && e.Key == key).Value;
    }
}
