using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portico.DemoEngine.Hosting;

namespace Portico.DemoEngine;

/// <summary>
/// A small Qlik-QIX-compatible engine: JSON-RPC over WebSocket at <c>/app/&lt;appId&gt;</c> with two
/// built-in apps, <c>/healthcheck</c>, and a <c>/portico-demo/echo</c> probe. It trusts the
/// <c>X-Qlik-User</c> header and therefore belongs behind the proxy, never in front of users; or,
/// like real engines, only over a client-certificate connection, or from a signed JWT (see <see cref="DemoEngineOptions"/>).
/// </summary>
public sealed partial class DemoEngineServer : IAsyncDisposable
{
    private readonly EngineHost _host;
    private readonly Lock _gate = new();
    private Task? _stopping;
    private bool _disposed;

    private DemoEngineServer(EngineHost host, Uri baseAddress, string nodeName)
    {
        _host = host;
        BaseAddress = baseAddress;
        NodeName = nodeName;
    }

    /// <summary>The address actually bound, with a trailing slash, e.g. <c>http://127.0.0.1:43121/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The node name from <see cref="DemoEngineOptions.NodeName"/>.</summary>
    public string NodeName { get; }

    /// <summary>Engine WebSockets open right now, authenticated or not.</summary>
    public int OpenSockets => _host.Sockets.OpenCount;

    /// <summary>Engine WebSockets accepted since start.</summary>
    public int TotalSockets => _host.Sockets.TotalCount;

    /// <summary>The most recent HTTP requests and upgrades received (at most 1000), oldest first; a snapshot.</summary>
    public IReadOnlyList<ObservedRequest> ObservedRequests => _host.Journal.Snapshot();

    /// <summary>JSON-RPC messages received over all sockets; lets tests wait for a client to be mid-session.</summary>
    internal long HandledCalls => _host.Sockets.CallCount;

    /// <summary>Starts an engine and returns once it is listening.</summary>
    /// <param name="options">Where to listen and what to call the node.</param>
    /// <param name="loggerFactory">Where the engine logs; nothing is logged when omitted.</param>
    /// <param name="cancellationToken">Abandons the start.</param>
    public static async Task<DemoEngineServer> StartAsync(
        DemoEngineOptions options,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        EngineTrust.Validate(options);

        ArgumentException.ThrowIfNullOrWhiteSpace(options.NodeName, nameof(options));

        loggerFactory ??= NullLoggerFactory.Instance;
        var host = EngineHost.Build(options, loggerFactory);
        try
        {
            await host.App.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await host.App.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = host.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? options.Url;
        var baseAddress = new Uri(bound.EndsWith('/') ? bound : bound + "/");
        Log.Started(loggerFactory.CreateLogger<DemoEngineServer>(), options.NodeName, baseAddress);
        return new DemoEngineServer(host, baseAddress, options.NodeName);
    }

    /// <summary>
    /// Stops listening and aborts every open engine socket without a close handshake, so clients
    /// see what they would see if the node died (close code 1006). Safe to call more than once.
    /// </summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            return _stopping ??= _host.App.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Stops the engine (see <see cref="StopAsync"/>) and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _host.App.DisposeAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Demo engine {NodeName} listening on {BaseAddress}")]
        public static partial void Started(ILogger logger, string nodeName, Uri baseAddress);
    }
}
