using System.Collections.Concurrent;
using System.Collections.Immutable;
using Portico.WebSockets;

namespace Portico.Sessions;

/// <summary>
/// The WebSockets open under each session on this node, so that ending a session (logout, expiry,
/// admin delete) also ends its sockets instead of leaving an engine connection authenticated; each
/// client is told why first (<see cref="SessionEndNotice"/>).
/// </summary>
internal sealed class SessionSockets(TimeProvider time)
{
    // A session has one socket or a few, so they are a small immutable array, replaced whole.
    private readonly ConcurrentDictionary<string, ImmutableArray<OpenSocket>> _bySession = new(StringComparer.Ordinal);
    private SocketNotice? _draining;

    /// <summary>True once <see cref="EndAll"/> ran: the node is shutting down and takes no new sockets.</summary>
    public bool IsDraining => Volatile.Read(ref _draining) is not null;

    /// <summary>Registers a socket under its session, unless the session already holds <paramref name="max"/> of them.</summary>
    /// <returns>The socket, to be disposed when it closes; null when the session is at its limit.</returns>
    public OpenSocket? TryTrack(string sessionId, HttpContext context, int max)
    {
        var socket = new OpenSocket(this, sessionId, context);
        while (true)
        {
            if (!_bySession.TryGetValue(sessionId, out var open))
            {
                if (_bySession.TryAdd(sessionId, [socket]))
                {
                    return EndIfDraining(socket);
                }

                continue;
            }

            if (open.Length >= max)
            {
                return null;
            }

            // Replaced only if no other socket of the session came or went meanwhile, else retried.
            if (_bySession.TryUpdate(sessionId, open.Add(socket), open))
            {
                return EndIfDraining(socket);
            }
        }
    }

    public int OpenCount(string sessionId) => _bySession.TryGetValue(sessionId, out var open) ? open.Length : 0;

    /// <summary>Every socket of every session, for the metrics (read at a scrape, not per request).</summary>
    public int OpenTotal
    {
        get
        {
            var total = 0;
            foreach (var pair in _bySession)
            {
                total += pair.Value.Length;
            }

            return total;
        }
    }

    /// <summary>
    /// Ends every socket of the session: each client gets the notice and a close frame, then the
    /// tunnel ends (see <see cref="OpenSocket.EndAsync"/>). Returns at once; the ends run on their own.
    /// </summary>
    /// <returns>How many sockets the session had.</returns>
    public int CloseAll(string sessionId, SessionEndReason reason)
    {
        if (!_bySession.TryRemove(sessionId, out var open))
        {
            return 0;
        }

        var notice = SessionEndNotice.For(reason);
        foreach (var socket in open)
        {
            _ = socket.EndAsync(notice, time);
        }

        return open.Length;
    }

    /// <summary>
    /// Ends every socket of every session with <paramref name="notice"/> (a node shutting down), and
    /// every socket tracked from now on as soon as it is: the sessions themselves live on.
    /// </summary>
    /// <returns>How many sockets were open.</returns>
    public int EndAll(SocketNotice notice)
    {
        Volatile.Write(ref _draining, notice);
        var ended = 0;
        foreach (var sessionId in _bySession.Keys)
        {
            if (_bySession.TryRemove(sessionId, out var open))
            {
                foreach (var socket in open)
                {
                    _ = socket.EndAsync(notice, time);
                }

                ended += open.Length;
            }
        }

        return ended;
    }

    /// <summary>A socket tracked while <see cref="EndAll"/> ran, which its sweep may have missed.</summary>
    private OpenSocket EndIfDraining(OpenSocket socket)
    {
        if (Volatile.Read(ref _draining) is { } notice)
        {
            _ = socket.EndAsync(notice, time);
        }

        return socket;
    }

    private void Untrack(string sessionId, OpenSocket socket)
    {
        // Replaced only if no other socket of the session came or went meanwhile, else retried.
        while (_bySession.TryGetValue(sessionId, out var open) && open.Contains(socket))
        {
            var remaining = open.Remove(socket);
            if (remaining.IsEmpty
                ? _bySession.TryRemove(new KeyValuePair<string, ImmutableArray<OpenSocket>>(sessionId, open))
                : _bySession.TryUpdate(sessionId, remaining, open))
            {
                break;
            }
        }
    }

    /// <summary>One WebSocket open under a session; disposed when it closes.</summary>
    internal sealed class OpenSocket(SessionSockets owner, string sessionId, HttpContext context) : IDisposable
    {
        /// <summary>How long a client has to get Portico's last frames and answer them before its connection is cut.</summary>
        public static readonly TimeSpan EndGrace = TimeSpan.FromSeconds(5);

        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<ClientSocketStream?> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The tunnel to the engine is open: from now on Portico can write to the client.</summary>
        public void Opened(ClientSocketStream tunnel) => _opened.TrySetResult(tunnel);

        /// <summary>
        /// Tells the client why its socket ends and closes it, then waits for the tunnel to end by
        /// itself (the client answers the close frame). A socket still being upgraded is told as soon
        /// as its tunnel opens. A client that does not take the frames within <see cref="EndGrace"/>
        /// is cut: the connection ends either way.
        /// </summary>
        public async Task EndAsync(SocketNotice notice, TimeProvider time)
        {
            Logging.SocketAccessRecord.Find(context)?.ClosedByPortico(notice.CloseReason);
            using var deadline = new CancellationTokenSource(EndGrace, time);
            try
            {
                var tunnel = await _opened.Task.WaitAsync(deadline.Token);
                if (tunnel is not null && await tunnel.EndWithAsync(notice.Frames(time.GetUtcNow()), deadline.Token))
                {
                    await _closed.Task.WaitAsync(deadline.Token);
                    return;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Not delivered in time, or the connection broke meanwhile: cut below.
            }

            if (!_closed.Task.IsCompleted)
            {
                context.Abort();
            }
        }

        public void Dispose()
        {
            owner.Untrack(sessionId, this);
            _opened.TrySetResult(null);
            _closed.TrySetResult();
        }
    }
}
