using Portico.Configuration;
using Portico.DemoEngine;

namespace Portico.Hosting;

/// <summary>
/// Runs the demo engine in-process, so the demo configuration works with one command. It is
/// started while Portico is being built, before the first health probe (see PorticoApplication);
/// starting it again as a hosted service does nothing.
/// </summary>
internal sealed partial class DemoEngineHostedService(
    DemoEngineOptions options,
    ConfigSnapshotStore snapshots,
    HostCertificates certificates,
    ILoggerFactory loggerFactory,
    ILogger<DemoEngineHostedService> logger) : IHostedService, IAsyncDisposable
{
    private DemoEngineServer? _engine;

    // Called one after the other (while building, then as a hosted service), never concurrently.
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_engine is not null)
        {
            return;
        }

        _engine = await DemoEngineServer.StartAsync(
            options with { LandingPage = () => DemoLandingPage.From(snapshots.Current, certificates.Development?.CaPath) },
            loggerFactory,
            cancellationToken);
        Log.Started(logger, _engine.BaseAddress);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_engine is not null)
        {
            await _engine.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(201, LogLevel.Information, "Demo engine listening on {Address}.")]
        public static partial void Started(ILogger logger, Uri address);
    }
}
