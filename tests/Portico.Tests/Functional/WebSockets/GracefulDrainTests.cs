using Portico.DemoEngine;
using Portico.TestSupport;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.WebSockets;

/// <summary>
/// A node told to stop drains: its tunnelled WebSockets get Qlik's OnSessionClosed and a going-away
/// close frame, so clients reconnect elsewhere, and the node stops within its drain time. See
/// docs/architecture.md, "Graceful drain".
/// </summary>
public sealed class GracefulDrainTests : IAsyncLifetime
{
    private DemoEngineServer _engine = null!;
    private PorticoTestHost _portico = null!;
    private bool _stopped;

    public async Task InitializeAsync()
    {
        _engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        _portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(PorticoTestHost.AnonymousProxy("", _engine.BaseAddress)) with
        {
            Shutdown = new Portico.Configuration.ShutdownConfig { DrainSeconds = 10 },
        });
    }

    public async Task DisposeAsync()
    {
        if (!_stopped)
        {
            await _portico.DisposeAsync();
        }

        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task Stop_OpenEnigmaSocketGetsOnSessionClosedAndA1001CloseFrame_AndTheNodeStopsWellWithinTheDrainTime()
    {
        var run = NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
        {
            Url = $"wss://localhost:{_portico.HttpsPort}/app/engineData",
            CaFile = _portico.CaPath,
            Steps = [EnigmaSteps.GetAuthenticatedUser],
            HoldOpenMs = 30_000,
            TimeoutMs = 60_000,
        });
        await Eventually.TrueAsync(() => _engine.OpenSockets == 1 || run.IsCompleted, TimeSpan.FromSeconds(30), "the socket to open");
        Assert.False(run.IsCompleted);

        var stopped = System.Diagnostics.Stopwatch.StartNew();
        _stopped = true;
        await _portico.DisposeAsync();
        stopped.Stop();

        var result = await run;
        Assert.True(result.Notifications.Count > 0, result.RawJson);
        var last = result.Notifications[^1];
        Assert.Equal("OnSessionClosed", last.Method);
        Assert.Equal("fatal", last.Params.GetProperty("severity").GetString());
        Assert.Equal(1001, result.CloseCode);
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(8), $"the drain waited {stopped.Elapsed} for a socket that was told to go");
        Assert.Contains(_portico.Logs.Lines, l => l.EventId == 1201);
    }
}
