using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Portico.Configuration;
using Portico.Tests.Functional.Sessions;
using Portico.Tests.Support;
using Portico.TestSupport;

namespace Portico.Tests.Functional.Cluster;

/// <summary>
/// A node killed with SIGKILL (a child process) while the real enigma.js client holds an engine socket through it:
/// the client reconnects through another node with the same cookie and the same CSRF token, as the
/// same user, and reads data. Only the open socket is lost.
/// </summary>
public sealed class NodeLossTests
{
    [Fact]
    public async Task NodeKilled_EnigmaClientReconnectsThroughAnotherNodeWithTheSameCookieAndToken()
    {
        var connectionString = await (await PostgresServer.Shared).CreateDatabaseAsync("nodeloss");
        await using var survivor = await SessionsHost.StartAsync(
            engine => [SessionsHost.LoginRequired("app", engine)],
            configure: config => config with { Cluster = new ClusterModeConfig { NodeName = "survivor", Postgres = connectionString, ChangePollSeconds = 1 } });

        // The node that dies: a Portico process of its own, forwarding to the same engine.
        var directory = Directory.CreateTempSubdirectory("portico-node-").FullName;
        var port = FreePorts.Loopback();
        var config = PorticoTestHost.BaseConfig(SessionsHost.LoginRequired("app", survivor.Engine.BaseAddress)) with
        {
            Listeners = new ListenersConfig { Https = new ListenerConfig { Address = "127.0.0.1", Port = port }, Http = null, QpsApi = null },
            Cluster = new ClusterModeConfig { NodeName = "doomed", Postgres = connectionString },
        };
        var configPath = Path.Combine(directory, "portico.json");
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config, ConfigJson.Options));
        using var doomed = CommandLineTests.StartPortico(directory, "--config", configPath);
        var output = new System.Text.StringBuilder();
        doomed.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        doomed.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        doomed.BeginOutputReadLine();
        doomed.BeginErrorReadLine();
        try
        {
            var doomedCa = Path.Combine(directory, "data", Portico.Certificates.DevelopmentCertificates.CaFileName);
            await Eventually.TrueAsync(() => { lock (output) { return output.ToString().Contains($":{port}", StringComparison.Ordinal) || doomed.HasExited; } },
                TimeSpan.FromSeconds(60), "the second node to start");
            Assert.False(doomed.HasExited, output.ToString());

            var id = await survivor.Api.CreateSessionIdAsync("app", "CORP", "frank");
            using var doomedClient = TlsTrust.HttpClient(doomedCa);
            doomedClient.BaseAddress = new Uri($"https://localhost:{port}/");
            var token = await doomedClient.CsrfTokenAsync("app", r => r.Headers.Add("Cookie", $"{SessionsHost.CookieName("app")}={id}"));
            using (var probe = new HttpRequestMessage(HttpMethod.Get, $"app/{SessionsHost.EchoPath}"))
            {
                probe.Headers.Add("Cookie", $"{SessionsHost.CookieName("app")}={id}");
                using var echoed = await doomedClient.SendAsync(probe);
                // The session made through the other node is served here.
                Assert.Equal(HttpStatusCode.OK, echoed.StatusCode);
            }

            // The real enigma.js client holds a session through the node that dies.
            var cookie = new Dictionary<string, string> { ["Cookie"] = $"{SessionsHost.CookieName("app")}={id}" };
            var callsBefore = survivor.Engine.HandledCalls;
            var held = NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
            {
                Url = $"wss://localhost:{port}/app/app/engineData?qlik-csrf-token={Uri.EscapeDataString(token)}",
                CaFile = doomedCa,
                Headers = cookie,
                Steps = [EnigmaSteps.GetAuthenticatedUser, EnigmaSteps.GetDocList],
                HoldOpenMs = 60_000,
                TimeoutMs = 90_000,
            });
            // Both calls handled: the client holds an open session (an engine socket alone may not have reached it yet).
            await Eventually.TrueAsync(() => survivor.Engine.HandledCalls >= callsBefore + 2 || held.IsCompleted, TimeSpan.FromSeconds(30), "the enigma.js session's calls to reach the engine");
            Assert.False(held.IsCompleted, held.IsCompleted ? (await held).RawJson : null);

            Assert.Equal(0, ChildProcess.Signal(doomed.Id, 9));
            await doomed.WaitForExitAsync();
            var clock = Stopwatch.StartNew();
            var lost = await held.WaitAsync(TimeSpan.FromSeconds(30));
            // The steps ran through the killed node; only the open socket was lost.
            Assert.Equal("UserDirectory=CORP; UserId=frank", lost.Result(EnigmaSteps.GetAuthenticatedUser).GetString());
            Assert.False(lost.Ok, lost.RawJson);

            // The same client, with the same cookie and token, through the surviving node reads data.
            var again = await NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
            {
                Url = $"wss://localhost:{survivor.Portico.HttpsPort}/app/app/engineData?qlik-csrf-token={Uri.EscapeDataString(token)}",
                CaFile = survivor.Portico.CaPath,
                Headers = cookie,
                Steps = [EnigmaSteps.GetAuthenticatedUser, EnigmaSteps.GetDocList, EnigmaSteps.OpenDoc, EnigmaSteps.HyperCube],
                TimeoutMs = 30_000,
            });
            Assert.True(again.Ok, again.RawJson);
            Console.WriteLine($"Served again through another node {clock.ElapsedMilliseconds} ms after the node was killed.");
            Assert.Equal("UserDirectory=CORP; UserId=frank", again.Result(EnigmaSteps.GetAuthenticatedUser).GetString());
            Assert.NotEqual(0, again.Result(EnigmaSteps.GetDocList).GetArrayLength());
            var rows = again.Result(EnigmaSteps.HyperCube).GetProperty("qMatrix").EnumerateArray()
                .ToDictionary(row => row[0].GetProperty("qText").GetString()!, row => row[1].GetProperty("qText").GetString()!);
            Assert.Equal(SalesDemoFigures.SalesByRegion.OrderBy(p => p.Key), rows.OrderBy(p => p.Key));
        }
        finally
        {
            if (!doomed.HasExited)
            {
                doomed.Kill(entireProcessTree: true);
                await doomed.WaitForExitAsync();
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
