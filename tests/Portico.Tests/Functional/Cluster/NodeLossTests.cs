using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Portico.Configuration;
using Portico.Tests.Functional.Sessions;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Cluster;

/// <summary>
/// A node killed with SIGKILL (a child process) while a client holds an engine socket through it:
/// the client reconnects through another node with the same cookie and the same CSRF token, as the
/// same user, and reads data. Only the open socket is lost.
/// </summary>
public sealed class NodeLossTests
{
    [Fact]
    public async Task NodeKilled_ClientReconnectsThroughAnotherNodeWithTheSameCookieAndToken()
    {
        var connectionString = await (await PostgresServer.Shared).CreateDatabaseAsync("nodeloss");
        await using var survivor = await SessionsHost.StartAsync(
            engine => [SessionsHost.LoginRequired("app", engine)],
            configure: config => config with { Cluster = new ClusterModeConfig { NodeName = "survivor", Postgres = connectionString, ChangePollSeconds = 1 } });

        // The node that dies: a Portico process of its own, forwarding to the same engine.
        var directory = Directory.CreateTempSubdirectory("portico-node-").FullName;
        var port = FreePort();
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

            var cookies = new CookieContainer();
            cookies.Add(new Uri($"https://localhost:{port}/"), new Cookie(SessionsHost.CookieName("app"), id));
            await using (var socket = await QixSocket.ConnectAsync(new Uri($"wss://localhost:{port}/app/app/engineData"), doomedCa, cookies, new Dictionary<string, string> { ["qlik-csrf-token"] = token }))
            {
                await socket.WaitForNotificationAsync("OnConnected");
                Assert.True((await socket.CallAsync("EngineVersion")).TryGetProperty("result", out _));

                Assert.Equal(0, ChildProcess.Signal(doomed.Id, 9));
                await doomed.WaitForExitAsync();
                var clock = Stopwatch.StartNew();
                Assert.True(await socket.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "the socket through the killed node stayed open");

                // The same cookie and token, through the surviving node.
                await using var again = await survivor.ConnectEngineSocketAsync("app", id, token);
                await again.WaitForNotificationAsync("OnConnected");
                var docs = await again.CallAsync("GetDocList");
                Assert.True(docs.TryGetProperty("result", out _), docs.ToString());
                Assert.Equal("UserDirectory=CORP; UserId=frank", await survivor.EchoedUserAsync("app", id));
                Console.WriteLine($"Served again through another node {clock.ElapsedMilliseconds} ms after the node was killed.");
            }
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
