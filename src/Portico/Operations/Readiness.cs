namespace Portico.Operations;

/// <summary>
/// Whether the rest of Portico still wants new traffic on this node. A graceful shutdown marks the
/// node draining first, so /readyz turns 503 at once and a load balancer stops sending requests
/// while the open ones finish; the host stopping counts as draining too. There is no way back:
/// a draining node is on its way out.
/// </summary>
internal sealed class Readiness(IHostApplicationLifetime lifetime)
{
    private volatile bool _draining;

    public bool IsDraining => _draining || lifetime.ApplicationStopping.IsCancellationRequested;

    /// <summary>True once Kestrel has bound every listener and the host has started.</summary>
    public bool ListenersBound => lifetime.ApplicationStarted.IsCancellationRequested;

    public void MarkDraining() => _draining = true;
}
