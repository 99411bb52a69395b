using Portico.DemoEngine.Identity;
using Portico.DemoEngine.Qix;

namespace Portico.DemoEngine.Sockets;

/// <summary>One open engine socket, counted from accept until disposed.</summary>
internal sealed class SocketRegistration : IDisposable
{
    private readonly SocketRegistry _registry;
    private readonly Action _abort;
    private int _disposed;

    public SocketRegistration(SocketRegistry registry, QlikUser? user, Action abort)
    {
        _registry = registry;
        _abort = abort;
        User = user;
    }

    public QlikUser? User { get; }

    /// <summary>Set once the connection is authenticated; read by the health check from other threads.</summary>
    public QixConnection? Connection { get; set; }

    public void Abort() => _abort();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _registry.Remove(this);
        }
    }
}
