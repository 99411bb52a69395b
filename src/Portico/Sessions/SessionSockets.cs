using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Portico.Sessions;

/// <summary>
/// The WebSockets open under each session on this node, so that ending a session (logout, expiry,
/// admin delete) also ends its sockets instead of leaving an engine connection authenticated.
/// </summary>
internal sealed class SessionSockets
{
    // A session has one socket or a few, so they are a small immutable array, replaced whole.
    private readonly ConcurrentDictionary<string, ImmutableArray<HttpContext>> _bySession = new(StringComparer.Ordinal);

    /// <summary>Registers a socket under its session, unless the session already holds <paramref name="max"/> of them.</summary>
    /// <returns>The registration to dispose when the socket closes; null when the session is at its limit.</returns>
    public IDisposable? TryTrack(string sessionId, HttpContext context, int max)
    {
        while (true)
        {
            if (!_bySession.TryGetValue(sessionId, out var open))
            {
                if (_bySession.TryAdd(sessionId, [context]))
                {
                    return new Registration(this, sessionId, context);
                }

                continue;
            }

            if (open.Length >= max)
            {
                return null;
            }

            // Replaced only if no other socket of the session came or went meanwhile, else retried.
            if (_bySession.TryUpdate(sessionId, open.Add(context), open))
            {
                return new Registration(this, sessionId, context);
            }
        }
    }

    public int OpenCount(string sessionId) => _bySession.TryGetValue(sessionId, out var open) ? open.Length : 0;

    /// <summary>Aborts every socket of the session: the client and the engine both see the connection end.</summary>
    public int CloseAll(string sessionId)
    {
        if (!_bySession.TryRemove(sessionId, out var open))
        {
            return 0;
        }

        foreach (var context in open)
        {
            context.Abort();
        }

        return open.Length;
    }

    private void Untrack(string sessionId, HttpContext context)
    {
        // Replaced only if no other socket of the session came or went meanwhile, else retried.
        while (_bySession.TryGetValue(sessionId, out var open) && open.Contains(context))
        {
            var remaining = open.Remove(context);
            if (remaining.IsEmpty
                ? _bySession.TryRemove(new KeyValuePair<string, ImmutableArray<HttpContext>>(sessionId, open))
                : _bySession.TryUpdate(sessionId, remaining, open))
            {
                break;
            }
        }
    }

    private sealed class Registration(SessionSockets owner, string sessionId, HttpContext context) : IDisposable
    {
        public void Dispose() => owner.Untrack(sessionId, context);
    }
}
