using Portico.Authentication;
using Portico.Configuration;
using Portico.VirtualProxies;

namespace Portico.Sessions;

/// <summary>
/// Session rules that hold for every store: fresh ids at login, lifetimes checked on every use,
/// Qlik's per-user limit, activity tracked cheaply, and sockets closed when a session ends.
/// </summary>
internal sealed partial class SessionManager(ISessionStore store, SessionSockets sockets, ConfigSnapshotStore snapshots, TimeProvider time, ILogger<SessionManager> logger)
{
    /// <summary>Activity is written at most this often per session: a busy socket must not turn into a write per frame.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromSeconds(5);

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The live session with this id on this virtual proxy, or null. An expired session found here is ended.</summary>
    public async ValueTask<Session?> ResolveAsync(VirtualProxy virtualProxy, string sessionId, CancellationToken cancellationToken)
    {
        var session = await store.FindAsync(sessionId, cancellationToken);
        return await LiveOrEndAsync(virtualProxy, session, cancellationToken);
    }

    public async ValueTask<Session?> ResolveByCredentialAsync(VirtualProxy virtualProxy, string credentialKey, CancellationToken cancellationToken)
    {
        var session = await store.FindByCredentialAsync(virtualProxy.Prefix, credentialKey, cancellationToken);
        return await LiveOrEndAsync(virtualProxy, session, cancellationToken);
    }

    /// <summary>
    /// Creates a session with a new id (or the app-supplied one from the session API), never reusing
    /// an id the client sent: a cookie planted before login is worthless after it.
    /// </summary>
    /// <returns>Null only when <paramref name="requestedId"/> is already in use.</returns>
    public async ValueTask<Session?> CreateAsync(VirtualProxy virtualProxy, AuthenticatedUser user, string? credentialKey, CancellationToken cancellationToken, string? requestedId = null)
    {
        var now = Now;

        // Every anonymous user is a fresh identity, so the per-user limit can never apply to one.
        if (!user.IsAnonymous)
        {
            await EnforceUserLimitAsync(virtualProxy, user, cancellationToken);
        }

        var session = new Session
        {
            Id = requestedId ?? SessionIds.New(),
            VirtualProxyPrefix = virtualProxy.Prefix,
            User = user,
            CreatedAt = now,
            LastActivityAt = now,
            CredentialKey = credentialKey,
        };
        if (!await store.TryAddAsync(session, cancellationToken))
        {
            return null;
        }

        if (user.IsAnonymous)
        {
            Log.AnonymousCreated(logger, virtualProxy.DisplayName);
        }
        else
        {
            Log.Created(logger, virtualProxy.DisplayName, Logging.LogValues.Escape(user.UserDirectory), Logging.LogValues.Escape(user.UserId));
        }

        return session;
    }

    /// <summary>Records activity, but writes only when the last write is older than <see cref="TouchInterval"/>.</summary>
    public ValueTask TouchAsync(Session session, CancellationToken cancellationToken)
    {
        var now = Now;
        return now - session.LastActivityAt >= TouchInterval
            ? store.TouchAsync(session.Id, now, cancellationToken)
            : ValueTask.CompletedTask;
    }

    public ValueTask TouchAsync(string sessionId, CancellationToken cancellationToken) => store.TouchAsync(sessionId, Now, cancellationToken);

    public async ValueTask<bool> EndAsync(string sessionId, SessionEndReason reason, CancellationToken cancellationToken)
    {
        var removed = await store.RemoveAsync(sessionId, cancellationToken);
        var closed = sockets.CloseAll(sessionId);
        if (removed || closed > 0)
        {
            Log.Ended(logger, reason, closed);
        }

        return removed;
    }

    public async ValueTask<IReadOnlyList<Session>> EndUserAsync(string virtualProxyPrefix, string userDirectory, string userId, SessionEndReason reason, CancellationToken cancellationToken)
    {
        var sessions = await store.FindByUserAsync(virtualProxyPrefix, userDirectory, userId, cancellationToken);
        foreach (var session in sessions)
        {
            await EndAsync(session.Id, reason, cancellationToken);
        }

        return sessions;
    }

    public async ValueTask<IReadOnlyList<Session>> FindUserSessionsAsync(VirtualProxy virtualProxy, string userDirectory, string userId, CancellationToken cancellationToken)
    {
        var live = new List<Session>();
        foreach (var session in await store.FindByUserAsync(virtualProxy.Prefix, userDirectory, userId, cancellationToken))
        {
            if (await LiveOrEndAsync(virtualProxy, session, cancellationToken) is { } alive)
            {
                live.Add(alive);
            }
        }

        return live;
    }

    /// <summary>Ends sessions whose idle time or lifetime has passed; run periodically so their sockets close on time.</summary>
    public async ValueTask<int> SweepAsync(CancellationToken cancellationToken)
    {
        var snapshot = snapshots.Current;
        var now = Now;
        var shortestIdle = snapshot.VirtualProxies.All.Select(IdleTimeout).DefaultIfEmpty(TimeSpan.FromMinutes(30)).Min();
        var stale = await store.FindStaleAsync(now - shortestIdle, now - AbsoluteLifetime(snapshot), 10_000, cancellationToken);
        var ended = 0;
        foreach (var session in stale)
        {
            var virtualProxy = snapshot.VirtualProxies.All.FirstOrDefault(vp => vp.Prefix == session.VirtualProxyPrefix);
            var state = virtualProxy is null
                ? SessionState.LifetimeExpired
                : SessionLifetime.Evaluate(session, IdleTimeout(virtualProxy), AbsoluteLifetime(snapshot), now);
            if (state != SessionState.Active)
            {
                await EndAsync(session.Id, ReasonFor(state), cancellationToken);
                ended++;
            }
        }

        return ended;
    }

    private async ValueTask<Session?> LiveOrEndAsync(VirtualProxy virtualProxy, Session? session, CancellationToken cancellationToken)
    {
        // A session belongs to the virtual proxy that created it; another one's cookie is no login here.
        if (session is null || session.VirtualProxyPrefix != virtualProxy.Prefix)
        {
            return null;
        }

        var state = SessionLifetime.Evaluate(session, IdleTimeout(virtualProxy), AbsoluteLifetime(snapshots.Current), Now);
        if (state == SessionState.Active)
        {
            return session;
        }

        await EndAsync(session.Id, ReasonFor(state), cancellationToken);
        return null;
    }

    private async ValueTask EnforceUserLimitAsync(VirtualProxy virtualProxy, AuthenticatedUser user, CancellationToken cancellationToken)
    {
        var max = snapshots.Current.Config.Sessions.MaxSessionsPerUser;
        var live = await FindUserSessionsAsync(virtualProxy, user.UserDirectory, user.UserId, cancellationToken);
        foreach (var oldest in live.OrderBy(s => s.LastActivityAt).Take(Math.Max(0, live.Count - max + 1)))
        {
            await EndAsync(oldest.Id, SessionEndReason.SessionLimit, cancellationToken);
        }
    }

    private static TimeSpan IdleTimeout(VirtualProxy virtualProxy) => TimeSpan.FromMinutes(virtualProxy.Config.SessionInactivityTimeout);

    private static TimeSpan AbsoluteLifetime(ConfigSnapshot snapshot) => TimeSpan.FromMinutes(snapshot.Config.Sessions.AbsoluteLifetimeMinutes);

    private static SessionEndReason ReasonFor(SessionState state) =>
        state == SessionState.IdleExpired ? SessionEndReason.IdleTimeout : SessionEndReason.LifetimeExpired;

    private static partial class Log
    {
        [LoggerMessage(6001, LogLevel.Information, "Session created on virtual proxy {VirtualProxy} for UserDirectory={UserDirectory}; UserId={UserId}.")]
        public static partial void Created(ILogger logger, string virtualProxy, string userDirectory, string userId);

        [LoggerMessage(6004, LogLevel.Debug, "Anonymous session created on virtual proxy {VirtualProxy}.")]
        public static partial void AnonymousCreated(ILogger logger, string virtualProxy);

        [LoggerMessage(6002, LogLevel.Information, "Session ended ({Reason}); {Sockets} open WebSocket(s) closed.")]
        public static partial void Ended(ILogger logger, SessionEndReason reason, int sockets);
    }
}
