using Microsoft.Extensions.Hosting;

namespace Portico.DemoEngine.Hosting;

/// <summary>
/// Replaces the console lifetime: the engine often runs inside another host (the proxy, a test),
/// and must not take over Ctrl+C or SIGTERM there. Whoever started it stops it.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
