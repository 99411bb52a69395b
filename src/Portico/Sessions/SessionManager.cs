using System.Net;
using System.Security.Cryptography;
using Portico.Audit;
using Portico.Authentication;
using Portico.Configuration;
using Portico.Limits;
using Portico.VirtualProxies;

namespace Portico.Sessions;

/// <summary>
/// Session rules that hold for every store: fresh ids at login, lifetimes checked on every use,
/// Qlik's per-user limit, a cap on what anonymous visitors can make this node keep, activity tracked
/// cheaply, and sockets closed when a session ends.
/// </summary>
internal sealed partial class SessionManager(ISessionStore store, SessionSockets sockets, ConfigSnapshotStore snapshots, ClientLimits clientLimits, AuditLog audit, TimeProvider time, ILogger<SessionManager> logger)
{
    /// <summary>Activity is written at most this often per session: a busy socket must not turn into a write per frame.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromSeconds(5);

    private int _atCap;
    private HashSet<string> _sweptPrefixes = new(StringComparer.Ordinal);

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Live sessions on this node.</summary>
    public int LiveCount => store.Count;

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
    /// Creates a session for a user who presented a credential, with a new id (or the app-supplied
    /// one from the session API), never reusing an id the client sent: a cookie planted before login
    /// is worthless after it. Not subject to the session cap: each such login needs a credential
    /// from a trusted issuer, and the per-user limit bounds what one user holds.
    /// </summary>
    public async ValueTask<SessionLogin> CreateAsync(VirtualProxy virtualProxy, AuthenticatedUser user, string? credentialKey, CancellationToken cancellationToken, string? requestedId = null)
    {
        if (user.IsAnonymous)
        {
            throw new ArgumentException("Anonymous sessions are created by CreateAnonymousAsync, which applies the session cap.", nameof(user));
        }

        await EnforceUserLimitAsync(virtualProxy, user, keep: null, cancellationToken);
        var session = await TryAddAsync(virtualProxy, user, credentialKey, requestedId, cancellationToken);
        if (session is null)
        {
            return SessionLogin.Refused(SessionRefusal.IdInUse);
        }

        // Again, now that this session is stored: logins of the same user at the same moment (on
        // this node or on other nodes of a cluster) each made room for one session only. Of racing
        // logins, the one stored last sees every other, so the limit holds once all have returned.
        await EnforceUserLimitAsync(virtualProxy, user, keep: session.Id, cancellationToken);

        Log.Created(logger, virtualProxy.DisplayName, Logging.LogValues.Escape(user.UserDirectory), Logging.LogValues.Escape(user.UserId));
        await audit.RecordAsync(AuditEvents.SessionCreated(session));
        return SessionLogin.Created(session);
    }

    /// <summary>
    /// A new anonymous visitor: refused while the node is at its session cap (the visitor is told
    /// when sessions will have freed up) or when the client's address made too many of them lately.
    /// </summary>
    public async ValueTask<SessionLogin> CreateAnonymousAsync(VirtualProxy virtualProxy, IPAddress? client, CancellationToken cancellationToken)
    {
        var config = snapshots.Current.Config;
        if (SessionCap.IsReached(store.Count, config.Sessions.MaxLiveSessions))
        {
            if (Interlocked.Exchange(ref _atCap, 1) == 0)
            {
                Log.CapReached(logger, config.Sessions.MaxLiveSessions);
            }

            return SessionLogin.Refused(SessionRefusal.Full, TimeSpan.FromSeconds(config.Sessions.AnonymousFirstUseGraceSeconds));
        }

        if (!clientLimits.TryCreateAnonymousSession(client, out var retryAfter))
        {
            return SessionLogin.Refused(SessionRefusal.RateLimited, retryAfter);
        }

        if (Volatile.Read(ref _atCap) == 1 && Interlocked.Exchange(ref _atCap, 0) == 1)
        {
            Log.BelowCap(logger, store.Count);
        }

        // Every anonymous user is a fresh identity, so the per-user limit can never apply to one.
        var user = new AuthenticatedUser(AuthenticatedUser.AnonymousDirectory, "anon-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
        var session = await TryAddAsync(virtualProxy, user, credentialKey: null, requestedId: null, cancellationToken);
        Log.AnonymousCreated(logger, virtualProxy.DisplayName);
        await audit.RecordAsync(AuditEvents.SessionCreated(session!));
        return SessionLogin.Created(session!);
    }

    /// <summary>
    /// Records that the session was used. Written when the session was not used again yet (the
    /// first-use grace) or the last write is older than <see cref="TouchInterval"/>.
    /// </summary>
    public ValueTask TouchAsync(Session session, CancellationToken cancellationToken)
    {
        var now = Now;
        return !session.UsedAgain || now - session.LastActivityAt >= TouchInterval
            ? store.TouchAsync(session.Id, now, usedAgain: true, cancellationToken)
            : ValueTask.CompletedTask;
    }

    /// <summary>
    /// Records a WebSocket's traffic as activity. It does not count as using the session again: a
    /// cookieless client's socket must not keep its anonymous session past the grace once it closes.
    /// </summary>
    public ValueTask RecordSocketActivityAsync(string sessionId, CancellationToken cancellationToken) =>
        store.TouchAsync(sessionId, Now, usedAgain: false, cancellationToken);

    public async ValueTask<bool> EndAsync(string sessionId, SessionEndReason reason, CancellationToken cancellationToken)
    {
        var removed = await store.RemoveAsync(sessionId, reason, cancellationToken);
        var closed = sockets.CloseAll(sessionId, reason);
        if (removed is not null)
        {
            await audit.RecordAsync(AuditEvents.SessionEnded(removed, reason));
        }

        if (removed is { User.IsAnonymous: true } && closed == 0)
        {
            // As many as anonymous visitors come and go: not worth a line each at Information.
            Log.AnonymousEnded(logger, reason);
        }
        else if (removed is not null || closed > 0)
        {
            Log.Ended(logger, reason, closed);
        }

        return removed is not null;
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

    /// <summary>
    /// Ends every session whose idle time, lifetime or first-use grace has passed, however many
    /// there are, so their sockets close on time and expiry keeps up with any rate of creation.
    /// Run periodically.
    /// </summary>
    public async ValueTask<int> SweepAsync(CancellationToken cancellationToken)
    {
        var snapshot = snapshots.Current;
        var ended = 0;
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var virtualProxy in snapshot.VirtualProxies.All)
        {
            prefixes.Add(virtualProxy.Prefix);
            var limits = LimitsOf(virtualProxy, snapshot);
            ended += await EndStaleAsync(
                now => new StaleSessionQuery(virtualProxy.Prefix, now - limits.IdleTimeout, now - limits.AbsoluteLifetime, now - limits.AnonymousFirstUseGrace),
                (session, now) => SessionLifetime.Evaluate(session, limits, now, MayHoldSockets(session)),
                cancellationToken);
        }

        // Sessions of a virtual proxy that a reload removed can never be used again.
        foreach (var removed in _sweptPrefixes.Where(p => !prefixes.Contains(p)))
        {
            ended += await EndStaleAsync(_ => StaleSessionQuery.All(removed), (_, _) => SessionState.LifetimeExpired, cancellationToken);
        }

        _sweptPrefixes = prefixes;
        return ended;
    }

    private async ValueTask<int> EndStaleAsync(Func<DateTimeOffset, StaleSessionQuery> query, Func<Session, DateTimeOffset, SessionState> evaluate, CancellationToken cancellationToken)
    {
        // Every candidate at once: a batch limit would let candidates that stay (a session with an
        // open socket, one touched meanwhile) hide expired ones behind them, round after round.
        var now = Now;
        var ended = 0;
        foreach (var session in await store.FindStaleAsync(query(now), int.MaxValue, cancellationToken))
        {
            var state = evaluate(session, now);
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

        var limits = LimitsOf(virtualProxy, snapshots.Current);
        var state = SessionLifetime.Evaluate(session, limits, Now, MayHoldSockets(session));
        if (state == SessionState.Active)
        {
            return session;
        }

        // Another node of a cluster may have seen the session used since this copy was read.
        if (await store.ReloadAsync(session.Id, cancellationToken) is not { } current)
        {
            return null;
        }

        session = current;
        state = SessionLifetime.Evaluate(session, limits, Now, MayHoldSockets(session));
        if (state == SessionState.Active)
        {
            return session;
        }

        await EndAsync(session.Id, ReasonFor(state), cancellationToken);
        return null;
    }

    private async ValueTask<Session?> TryAddAsync(VirtualProxy virtualProxy, AuthenticatedUser user, string? credentialKey, string? requestedId, CancellationToken cancellationToken)
    {
        var now = Now;
        var session = new Session
        {
            Id = requestedId ?? SessionIds.New(),
            VirtualProxyPrefix = virtualProxy.Prefix,
            User = user,
            CreatedAt = now,
            LastActivityAt = now,
            CredentialKey = credentialKey,
        };
        return await store.TryAddAsync(session, cancellationToken) ? session : null;
    }

    /// <param name="keep">Null before a login: make room for one more session. After it, the new session, which stays.</param>
    private async ValueTask EnforceUserLimitAsync(VirtualProxy virtualProxy, AuthenticatedUser user, string? keep, CancellationToken cancellationToken)
    {
        var max = snapshots.Current.Config.Sessions.MaxSessionsPerUser;
        var live = await FindUserSessionsAsync(virtualProxy, user.UserDirectory, user.UserId, cancellationToken);
        foreach (var excess in UserSessionLimit.Excess(live, keep is null ? max - 1 : max, keep))
        {
            await EndAsync(excess.Id, SessionEndReason.SessionLimit, cancellationToken);
        }
    }

    /// <summary>Whether the session holds sockets, asked only where the answer matters (an unused anonymous session): most requests skip the lookup.</summary>
    private bool MayHoldSockets(Session session) =>
        session.User.IsAnonymous && !session.UsedAgain && sockets.OpenCount(session.Id) > 0;

    private static SessionLimits LimitsOf(VirtualProxy virtualProxy, ConfigSnapshot snapshot) => new(
        TimeSpan.FromMinutes(virtualProxy.Config.SessionInactivityTimeout),
        TimeSpan.FromMinutes(snapshot.Config.Sessions.AbsoluteLifetimeMinutes),
        TimeSpan.FromSeconds(snapshot.Config.Sessions.AnonymousFirstUseGraceSeconds));

    private static SessionEndReason ReasonFor(SessionState state) => state switch
    {
        SessionState.IdleExpired => SessionEndReason.IdleTimeout,
        SessionState.NeverUsed => SessionEndReason.NeverUsed,
        _ => SessionEndReason.LifetimeExpired,
    };

    private static partial class Log
    {
        [LoggerMessage(6001, LogLevel.Information, "Session created on virtual proxy {VirtualProxy} for UserDirectory={UserDirectory}; UserId={UserId}.")]
        public static partial void Created(ILogger logger, string virtualProxy, string userDirectory, string userId);

        [LoggerMessage(6004, LogLevel.Debug, "Anonymous session created on virtual proxy {VirtualProxy}.")]
        public static partial void AnonymousCreated(ILogger logger, string virtualProxy);

        [LoggerMessage(6002, LogLevel.Information, "Session ended ({Reason}); {Sockets} open WebSocket(s) closed.")]
        public static partial void Ended(ILogger logger, SessionEndReason reason, int sockets);

        [LoggerMessage(6007, LogLevel.Debug, "Anonymous session ended ({Reason}).")]
        public static partial void AnonymousEnded(ILogger logger, SessionEndReason reason);

        [LoggerMessage(6005, LogLevel.Warning, "Session cap reached ({Cap} live sessions, sessions.maxLiveSessions): new anonymous visitors get 503 until sessions end; logins with a credential are still admitted.")]
        public static partial void CapReached(ILogger logger, int cap);

        [LoggerMessage(6006, LogLevel.Information, "Below the session cap again ({Live} live sessions): anonymous visitors are admitted.")]
        public static partial void BelowCap(ILogger logger, int live);
    }
}

/// <summary>The per-user session limit (sessions.maxSessionsPerUser) as a decision of its own.</summary>
internal static class UserSessionLimit
{
    /// <summary>
    /// Which of a user's live sessions to end so that at most <paramref name="allowed"/> remain: the
    /// least recently active first, never <paramref name="keep"/> (the session just made).
    /// </summary>
    public static IReadOnlyList<Session> Excess(IReadOnlyList<Session> live, int allowed, string? keep) =>
        live.Where(s => s.Id != keep)
            .OrderBy(s => s.LastActivityAt)
            .ThenBy(s => s.CreatedAt)
            .Take(Math.Max(0, live.Count - Math.Max(0, allowed)))
            .ToList();
}

/// <summary>The session cap as a decision of its own.</summary>
internal static class SessionCap
{
    public static bool IsReached(int liveSessions, int maxLiveSessions) => liveSessions >= maxLiveSessions;
}
