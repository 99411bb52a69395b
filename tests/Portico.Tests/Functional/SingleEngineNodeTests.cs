using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>
/// A virtual proxy with one engine node forwards without YARP's proxy pipeline: its failure answer
/// and its recovery must be what they are through the pipeline.
/// </summary>
public sealed class SingleEngineNodeTests
{
    [Fact]
    public async Task NodeStops_AnswersEngineUnavailableWithTheHeaders_ThenServesAgainWhenItIsBack()
    {
        var engine = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "solo" });
        var address = engine.BaseAddress;
        await using var portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("solo", address) with { AdditionalResponseHeaders = "X-Custom: solo-vp" }) with
        {
            Hsts = new HstsConfig { MaxAgeSeconds = 600 },
        });
        using var client = portico.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/solo/portico-demo/echo")).StatusCode);

        await engine.DisposeAsync();

        // Whether or not the health checks have noticed yet, the only node is the one to try.
        for (var i = 0; i < 3; i++)
        {
            var failed = await client.GetAsync("/solo/portico-demo/echo");
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
            using var json = JsonDocument.Parse(await failed.Content.ReadAsStringAsync());
            Assert.Equal("engine_unavailable", json.RootElement.GetProperty("error").GetString());
            Assert.Contains("'solo'", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("solo-vp", Assert.Single(failed.Headers.GetValues("X-Custom")));
            Assert.Equal("max-age=600", Assert.Single(failed.Headers.GetValues("Strict-Transport-Security")));
        }

        await using var restarted = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "solo", Url = address.ToString().TrimEnd('/') });
        await Eventually.TrueAsync(async () => (await client.GetAsync("/solo/portico-demo/echo")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "the node to be served again once it is back");
    }

    [Fact]
    public async Task ClientGoesAwayBeforeTheEngineAnswers_IsNotLoggedAsAnEngineFailure()
    {
        // An engine that accepts connections and reads requests but never answers; it signals when
        // the forwarded request (not a health probe) has arrived.
        using var silentEngine = new TcpListener(IPAddress.Loopback, 0);
        silentEngine.Start();
        using var stop = new CancellationTokenSource();
        var forwarded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new System.Collections.Concurrent.ConcurrentBag<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var connection = await silentEngine.AcceptTcpClientAsync(stop.Token);
                held.Add(connection);
                _ = Task.Run(async () =>
                {
                    var buffer = new byte[4096];
                    var text = "";
                    int read;
                    while ((read = await connection.GetStream().ReadAsync(buffer, stop.Token)) > 0)
                    {
                        text += System.Text.Encoding.ASCII.GetString(buffer, 0, read);
                        if (text.Contains("/portico-demo/echo", StringComparison.Ordinal))
                        {
                            forwarded.TrySetResult();
                        }
                    }
                });
            }
        });
        var engine = new Uri($"http://127.0.0.1:{((IPEndPoint)silentEngine.LocalEndpoint).Port}");
        await using var portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(PorticoTestHost.AnonymousProxy("quiet", engine)));
        using var client = portico.CreateClient();

        using var givingUp = new CancellationTokenSource();
        var request = client.GetAsync("/quiet/portico-demo/echo", givingUp.Token);
        await forwarded.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await givingUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        await Eventually.TrueAsync(() => Task.FromResult(portico.Logs.Lines.Any(l => l.EventId == 8006)), TimeSpan.FromSeconds(10),
            "Portico to notice that the client went away");
        Assert.DoesNotContain(portico.Logs.Lines, l => l.EventId == 8002);
        Assert.Contains(portico.Logs.Lines, l => l.EventId == 8006 && l.Level == LogLevel.Debug && l.Message.Contains("virtual proxy quiet", StringComparison.Ordinal));

        await stop.CancelAsync();
        silentEngine.Stop();
        await Task.WhenAny(accepting, Task.Delay(TimeSpan.FromSeconds(5)));
        foreach (var connection in held)
        {
            connection.Dispose();
        }
    }
}
