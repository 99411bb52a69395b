using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Portico.DemoEngine;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>
/// What a client can make Portico log: failures it causes are answered and logged at debug level
/// in one line, so no request can make the log grow by more than it costs to send.
/// </summary>
public sealed class ForwardingFailureLogTests : IAsyncLifetime
{
    private DemoEngineServer _node1 = null!;
    private DemoEngineServer _node2 = null!;
    private PorticoTestHost _portico = null!;

    public async Task InitializeAsync()
    {
        _node1 = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "node-a" });
        _node2 = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "node-b" });
        _portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("solo", _node1.BaseAddress),
            PorticoTestHost.AnonymousProxy("pair", _node1.BaseAddress, _node2.BaseAddress)));
    }

    public async Task DisposeAsync()
    {
        await _portico.DisposeAsync();
        await _node1.DisposeAsync();
        await _node2.DisposeAsync();
    }

    /// <summary>One engine node forwards straight to YARP's forwarder, two go through its proxy pipeline.</summary>
    [Theory]
    [InlineData("solo")]
    [InlineData("pair")]
    public async Task BrokenChunkedBody_Is400_LoggedAtDebugInOneLineWithoutStackTrace(string prefix)
    {
        var before = _portico.Logs.Lines.Count;

        var response = await RawHttp.SendAsync(_portico.HttpsPort, $"""
            POST /{prefix}/portico-demo/echo HTTP/1.1
            Host: localhost
            Transfer-Encoding: chunked
            """, _portico.CaPath, body: "zz\r\n");

        Assert.Equal(400, response.Status);
        Assert.Contains("bad_request", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("engine", response.Body, StringComparison.OrdinalIgnoreCase);
        await Eventually.TrueAsync(() => LinesSince(before).Any(l => l.EventId == 8006), TimeSpan.FromSeconds(10), "the failure to be logged");
        var logged = LinesSince(before);
        var line = Assert.Single(logged, l => l.EventId == 8006);
        Assert.Equal(LogLevel.Debug, line.Level);
        Assert.Contains("RequestBodyClient", line.Message, StringComparison.Ordinal);
        Assert.Contains($"virtual proxy {prefix}", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line.Message);
        Assert.All(logged, l => Assert.Null(l.Exception));
        Assert.Equal(0, logged.Where(l => l.Level >= LogLevel.Warning).Sum(l => l.Message.Length + (l.Exception?.Length ?? 0)));
    }

    [Theory]
    [InlineData("solo", false)]
    [InlineData("solo", true)]
    [InlineData("pair", false)]
    public async Task WebSocketClientDropsTheConnectionWithoutCloseFrame_NoWarningWithStackTrace(string prefix, bool reset)
    {
        var engine = _node1;
        var openBefore = _node1.TotalSockets + _node2.TotalSockets;
        var before = _portico.Logs.Lines.Count;

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", _portico.HttpsPort);
            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: true, TlsTrust.For(_portico.CaPath));
            await tls.AuthenticateAsClientAsync("localhost");
            await tls.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET /{prefix}/app/engineData HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"));
            var received = new StringBuilder();
            var buffer = new byte[4096];
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            while (!received.ToString().Contains("OnConnected", StringComparison.Ordinal))
            {
                var read = await tls.ReadAsync(buffer, limit.Token);
                Assert.NotEqual(0, read);
                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }

            Assert.StartsWith("HTTP/1.1 101", received.ToString(), StringComparison.Ordinal);
            Assert.Equal(openBefore + 1, _node1.TotalSockets + _node2.TotalSockets);
            engine = _node1.OpenSockets > 0 ? _node1 : _node2;

            // No close frame, no TLS close_notify: the TCP connection just ends (or is reset).
            if (reset)
            {
                tcp.Client.LingerState = new LingerOption(true, 0);
            }

            tcp.Client.Close();
        }

        await Eventually.TrueAsync(() => engine.OpenSockets == 0, TimeSpan.FromSeconds(15), "the engine socket to be closed");
        await Eventually.TrueAsync(() => LinesSince(before).Any(l => l.EventId == 8006), TimeSpan.FromSeconds(10), "the end of the tunnel to be logged");
        var logged = LinesSince(before);
        Assert.Equal(LogLevel.Debug, Assert.Single(logged, l => l.EventId == 8006).Level);
        Assert.DoesNotContain(logged, l => l.Level >= LogLevel.Warning && l.Exception is not null);
        Assert.DoesNotContain(logged, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task EngineFailsARequest_OneWarningLineWithoutStackTrace()
    {
        var engine = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "doomed" });
        await using var portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(PorticoTestHost.AnonymousProxy("doomed", engine.BaseAddress)));
        await engine.DisposeAsync();
        var before = portico.Logs.Lines.Count;

        var response = await RawHttp.SendAsync(portico.HttpsPort, "GET /doomed/portico-demo/echo HTTP/1.1\nHost: localhost\n", portico.CaPath);

        Assert.Equal(502, response.Status);
        var failure = Assert.Single(portico.Logs.Lines.Skip(before), l => l.EventId == 8002);
        Assert.Equal(LogLevel.Warning, failure.Level);
        Assert.Equal("Forwarding for virtual proxy doomed failed: Request (HttpRequestException).", failure.Message);
        Assert.Null(failure.Exception);
    }

    private List<LogLine> LinesSince(int index) => [.. _portico.Logs.Lines.Skip(index)];
}
