using System.Globalization;
using Portico.Audit;
using Portico.Http;
using Portico.Operations;
using Portico.Sessions;
using Portico.VirtualProxies;

namespace Portico.Authentication;

/// <summary>
/// Completes a pending login when the request turns out to need a session: it is about to reach an
/// engine, asks for a CSRF token or who it is, or is a ticket redirect. Until then a login is only a
/// decision, so requests that are refused, answered 404 or preflighted create nothing. A login
/// through a browser that still carries another session of this virtual proxy ends that session:
/// the browser moves to the new one, and a session planted by someone else (login CSRF) is gone.
/// </summary>
internal sealed partial class LoginSessions(SessionManager sessions, PorticoMetrics metrics, AuditLog audit, ILogger<LoginSessions> logger)
{
    /// <returns>
    /// The request's session; null when the request is unauthenticated or its session could not be
    /// created, in which case the refusal (503 at the session cap, 429 over the client's limit) is written.
    /// </returns>
    public ValueTask<Session?> EnsureAsync(HttpContext context)
    {
        var request = PorticoRequest.Of(context);
        var outcome = request.AuthenticationOutcome;
        return outcome.Session is not null || outcome.Pending is null
            ? ValueTask.FromResult(outcome.Session)
            : CreateAsync(context, request, outcome.Pending);
    }

    private async ValueTask<Session?> CreateAsync(HttpContext context, PorticoRequest request, PendingLogin pending)
    {
        var virtualProxy = request.VirtualProxy;
        var cancellationToken = context.RequestAborted;
        var login = pending.User is { } user
            ? await sessions.CreateAsync(virtualProxy, user, pending.CredentialKey, cancellationToken)
            : await sessions.CreateAnonymousAsync(virtualProxy, context.Connection.RemoteIpAddress, cancellationToken);
        metrics.Login(virtualProxy.DisplayName, pending.Method, login.Session is null ? LoginOutcome.Refused : LoginOutcome.Succeeded);
        if (login.Session is not { } session)
        {
            request.Authentication = AuthenticationOutcome.Rejected(pending.Method, "no session could be created");
            await RefuseAsync(context, virtualProxy, pending, login);
            return null;
        }

        if (pending.Method is not CredentialKind.Anonymous)
        {
            await EndReplacedSessionAsync(context, virtualProxy, session.Id);
        }

        context.Response.Headers.Append("Set-Cookie", SessionCookie.Issue(virtualProxy.Config, session.Id, context.Request.IsHttps));
        request.Authentication = AuthenticationOutcome.Authenticated(session, pending.Method, issuesCookie: true);
        await audit.RecordAsync(AuditEvents.LoginSucceeded(context, virtualProxy.Prefix, AuditEvents.MethodName(pending.Method), session));
        return session;
    }

    /// <summary>Ends the session the browser's cookie names, when a credential just moved it to <paramref name="newId"/>.</summary>
    public async ValueTask EndReplacedSessionAsync(HttpContext context, VirtualProxy virtualProxy, string newId)
    {
        if (SessionCookie.ReadId(context.Request.Headers, virtualProxy.Config.SessionCookieHeaderName) is { } previousId
            && previousId != newId
            && await sessions.ResolveAsync(virtualProxy, previousId, context.RequestAborted) is { } previous)
        {
            await sessions.EndAsync(previous.Id, SessionEndReason.ReplacedByLogin, context.RequestAborted);
        }
    }

    private Task RefuseAsync(HttpContext context, VirtualProxy virtualProxy, PendingLogin pending, SessionLogin login)
    {
        // One line per refusal would let a flood write the log: the cap logs when it is reached, and
        // each refusal only at Debug.
        Log.Refused(logger, virtualProxy.DisplayName, login.Refusal);
        audit.Refused(AuditEvents.LoginRefused(context, virtualProxy.Prefix, AuditEvents.MethodName(pending.Method), login.Refusal, pending.User));
        var retryAfterSeconds = Math.Max(1, (int)Math.Ceiling(login.RetryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return login.Refusal switch
        {
            SessionRefusal.RateLimited => PorticoResponse.WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "too_many_sessions",
                $"Too many new sessions from this address; try again in {retryAfterSeconds} s."),
            _ => PorticoResponse.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "too_many_sessions",
                $"Virtual proxy '{virtualProxy.DisplayName}' cannot admit new anonymous visitors right now; try again in {retryAfterSeconds} s."),
        };
    }

    private static partial class Log
    {
        [LoggerMessage(5003, LogLevel.Debug, "No session created on virtual proxy {VirtualProxy}: {Refusal}.")]
        public static partial void Refused(ILogger logger, string virtualProxy, SessionRefusal refusal);
    }
}
