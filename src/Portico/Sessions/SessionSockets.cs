using System.Collections.Concurrent;

namespace Portico.Sessions;

/// <summary>
/// The WebSockets open under each session on this node, so that ending a session (logout, expiry,
/// admin delete) also ends its sockets instead of leaving an engine connection authenticated.
/// </summary>
internal sealed class SessionSockets
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<HttpContext, byte>> _bySession = new(StringComparer.Ordinal);

    public IDisposable Track(string sessionId, HttpContext context)
    {
        var sockets = _bySession.GetOrAdd(sessionId, _ => new ConcurrentDictionary<HttpContext, byte>());
        sockets.TryAdd(context, 0);
        return new Registration(this, sessionId, context);
    }

    public int OpenCount(string sessionId) => _bySession.TryGetValue(sessionId, out var sockets) ? sockets.Count : 0;

    /// <summary>Aborts every socket of the session: the client and the engine both see the connection end.</summary>
    public int CloseAll(string sessionId)
    {
        if (!_bySession.TryRemove(sessionId, out var sockets))
        {
            return 0;
        }

        foreach (var context in sockets.Keys)
        {
            context.Abort();
        }

        return sockets.Count;
    }

    private void Untrack(string sessionId, HttpContext context)
    {
        if (_bySession.TryGetValue(sessionId, out var sockets))
        {
            sockets.TryRemove(context, out _);
            if (sockets.IsEmpty)
            {
                _bySession.TryRemove(new KeyValuePair<string, ConcurrentDictionary<HttpContext, byte>>(sessionId, sockets));
            }
        }
    }

    private sealed class Registration(SessionSockets owner, string sessionId, HttpContext context) : IDisposable
    {
        public void Dispose() => owner.Untrack(sessionId, context);
    }
}
