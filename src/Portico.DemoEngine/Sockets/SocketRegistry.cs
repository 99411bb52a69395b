using Portico.DemoEngine.Identity;

namespace Portico.DemoEngine.Sockets;

/// <summary>
/// Knows every open engine socket: for the counters the engine exposes, and so that stopping the
/// engine can cut them all at once the way a crashing node would, instead of waiting for clients
/// that would never leave on their own.
/// </summary>
internal sealed class SocketRegistry
{
    private readonly Lock _gate = new();
    private readonly HashSet<SocketRegistration> _open = [];
    private readonly HashSet<QlikUser> _usersSeen = [];
    private int _total;
    private long _calls;
    private bool _stopping;

    public int OpenCount
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    public int TotalCount
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    public SocketRegistration Register(QlikUser? user, Action abort)
    {
        ArgumentNullException.ThrowIfNull(abort);
        var registration = new SocketRegistration(this, user, abort);
        bool stopping;
        lock (_gate)
        {
            _open.Add(registration);
            _total++;
            if (user is not null)
            {
                _usersSeen.Add(user);
            }

            stopping = _stopping;
        }

        // A socket accepted while the engine is going down must not outlive it.
        if (stopping)
        {
            registration.Abort();
        }

        return registration;
    }

    public void AbortAll()
    {
        SocketRegistration[] open;
        lock (_gate)
        {
            _stopping = true;
            open = [.. _open];
        }

        foreach (var registration in open)
        {
            registration.Abort();
        }
    }

    public IReadOnlyList<SocketRegistration> Snapshot()
    {
        lock (_gate)
        {
            return [.. _open];
        }
    }

    public int UsersSeenCount
    {
        get
        {
            lock (_gate)
            {
                return _usersSeen.Count;
            }
        }
    }

    /// <summary>JSON-RPC requests handled over all sockets, for the health check's <c>apps.calls</c>.</summary>
    public long CallCount => Interlocked.Read(ref _calls);

    public void CountCall() => Interlocked.Increment(ref _calls);

    internal void Remove(SocketRegistration registration)
    {
        lock (_gate)
        {
            _open.Remove(registration);
        }
    }
}
