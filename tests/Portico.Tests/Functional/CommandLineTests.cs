using System.Diagnostics;
using System.Net;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>The real Portico executable: what an admin sees at start-up.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task InvalidConfigFile_ExitsNonZero_AndPrintsEveryErrorWithItsPath()
    {
        var directory = Directory.CreateTempSubdirectory("portico-cli-");
        var config = Path.Combine(directory.FullName, "bad.json");
        await File.WriteAllTextAsync(config, """
            {
              "publicHost": "https://qlik.example.com/path",
              "virtualProxies": [
                { "prefix": "Sales", "loadBalancingServerNodes": [ "ftp://engine" ], "additionalResponseHeaders": "X-Ok: 1\nContent-Length: 5" },
                { "prefix": "sales", "sessionCookieHeaderName": "X-Qlik-Session-2", "loadBalancingServerNodes": [] }
              ]
            }
            """);

        var (exitCode, output) = await RunPorticoAsync(directory.FullName, "--config", config);

        Assert.Equal(2, exitCode);
        Assert.Contains("nothing was started", output, StringComparison.Ordinal);
        Assert.Contains("publicHost:", output, StringComparison.Ordinal);
        Assert.Contains("virtualProxies[0].prefix: \"Sales\" must be lowercase; write \"sales\"", output, StringComparison.Ordinal);
        Assert.Contains("virtualProxies[0].loadBalancingServerNodes[0]:", output, StringComparison.Ordinal);
        Assert.Contains("virtualProxies[0].additionalResponseHeaders: line 2:", output, StringComparison.Ordinal);
        Assert.Contains("virtualProxies[1].prefix:", output, StringComparison.Ordinal);
        Assert.Contains("virtualProxies[1].loadBalancingServerNodes:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownField_IsAnErrorNamingIt()
    {
        var directory = Directory.CreateTempSubdirectory("portico-cli-");
        var config = Path.Combine(directory.FullName, "typo.json");
        await File.WriteAllTextAsync(config, """{ "virtualProxies": [ { "prefx": "sales" } ] }""");

        var (exitCode, output) = await RunPorticoAsync(directory.FullName, "--config", config, "--check");

        Assert.Equal(2, exitCode);
        Assert.Contains("virtualProxies[0].prefx: unknown field", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckOnValidConfig_SaysValidAndExitsZero()
    {
        var directory = Directory.CreateTempSubdirectory("portico-cli-");
        var config = Path.Combine(directory.FullName, "good.json");
        await File.WriteAllTextAsync(config, """{ "virtualProxies": [ { "prefix": "", "anonymousAccessMode": 2, "loadBalancingServerNodes": [ "http://127.0.0.1:4747" ] } ] }""");

        var (exitCode, output) = await RunPorticoAsync(directory.FullName, "--config", config, "--check");

        Assert.Equal(0, exitCode);
        Assert.Contains("is valid", output, StringComparison.Ordinal);
    }

    /// <summary>The README's first command: the built-in demo on its fixed ports, reached with enigma.js's usual URL.</summary>
    [Fact]
    public async Task NoArguments_RunsTheBuiltInDemo_ServingTheDemoEngineOverHttps()
    {
        var directory = Directory.CreateTempSubdirectory("portico-demo-");
        using var process = StartPortico(directory.FullName);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.TrueAsync(() => { lock (output) { return output.ToString().Contains("wss://localhost:8443/app/engineData", StringComparison.Ordinal) || process.HasExited; } },
                TimeSpan.FromSeconds(60), "the demo to start");
            var banner = output.ToString();
            Assert.False(process.HasExited, banner);
            Assert.Contains("https://localhost:8443/", banner, StringComparison.Ordinal);
            Assert.Contains("wss://localhost:8443/app/engineData", banner, StringComparison.Ordinal);
            Assert.Contains("Operations     http://127.0.0.1:9090/healthz", banner, StringComparison.Ordinal);

            var ca = Path.Combine(directory.FullName, "data", Portico.Certificates.DevelopmentCertificates.CaFileName);
            using var client = TlsTrust.HttpClient(ca);
            var health = await client.GetAsync(new Uri("https://localhost:8443/healthcheck"));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.True(health.Headers.Contains("Strict-Transport-Security"));

            // A browser opening the demo's address gets the landing page, listing the demo's virtual proxies.
            using var landingRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("https://localhost:8443/"));
            landingRequest.Headers.Accept.ParseAdd("text/html");
            using var landing = await client.SendAsync(landingRequest);
            var page = await landing.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
            Assert.Contains("<a href=\"/jwt/qps/user\">", page, StringComparison.Ordinal);
            Assert.Contains("<code>https://localhost:8443/header/</code>", page, StringComparison.Ordinal);
            Assert.Contains(ca, page, StringComparison.Ordinal);

            var result = await Portico.TestSupport.NodeClients.Shared.RunEnigmaAsync(new Portico.TestSupport.EnigmaRunRequest
            {
                Url = "wss://localhost:8443/app/engineData",
                CaFile = ca,
                Steps = [Portico.TestSupport.EnigmaSteps.GetDocList],
            });
            Assert.True(result.Ok, result.RawJson);

            var redirect = await RawHttp.SendAsync(8080, "GET /hub HTTP/1.1\nHost: localhost\n", caPath: null);
            Assert.Equal(301, redirect.Status);
            Assert.Equal("https://localhost:8443/hub", redirect.Header("Location"));

            // SIGTERM, as a service manager stops it: a drain, then exit 0.
            Assert.Equal(0, ChildProcess.Signal(process.Id, ChildProcess.SigTerm));
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(stopping.Token);
            Assert.Equal(0, process.ExitCode);
            lock (output)
            {
                Assert.Contains("told to reconnect", output.ToString(), StringComparison.Ordinal);
            }
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



    internal static Process StartPortico(string workingDirectory, params string[] args) =>
        StartDotnet(workingDirectory, [typeof(Portico.Configuration.PorticoConfig).Assembly.Location, .. args]);

    internal static Task<(int ExitCode, string Output)> RunPorticoAsync(string workingDirectory, params string[] args) =>
        RunDotnetAsync(workingDirectory, [typeof(Portico.Configuration.PorticoConfig).Assembly.Location, .. args]);

    /// <summary>Runs <c>dotnet</c> to its end (killed, with its children, if it outlives the deadline) and returns its exit code and output.</summary>
    internal static Task<(int ExitCode, string Output)> RunDotnetAsync(string workingDirectory, IReadOnlyList<string> args) =>
        ChildProcess.RunToEndAsync(ChildProcess.StartInfo("dotnet", args, workingDirectory), TimeSpan.FromSeconds(120));

    private static Process StartDotnet(string workingDirectory, IReadOnlyList<string> args) =>
        Process.Start(ChildProcess.StartInfo("dotnet", args, workingDirectory))!;
}
