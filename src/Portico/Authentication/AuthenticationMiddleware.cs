using System.Security.Cryptography;
using System.Text;
using Portico.Authentication.Header;
using Portico.Authentication.Jwt;
using Portico.Configuration;
using Portico.Http;
using Portico.Sessions;
using Portico.Tickets;
using Portico.VirtualProxies;

namespace Portico.Authentication;

/// <summary>
/// Step 5: decides who the request acts for. An explicit credential (bearer JWT, ticket, trusted
/// header) decides when present; otherwise the session cookie; otherwise anonymous access when the
/// virtual proxy allows it. A login always creates a fresh session (never adopting an id the client
/// sent). The outcome is recorded for the later steps; refusing an unauthenticated request is
/// <see cref="ChallengeMiddleware"/>'s job, so Portico's own endpoints can answer it their way.
/// </summary>
internal sealed partial class AuthenticationMiddleware(RequestDelegate next, SessionManager sessions, TicketStore tickets, ILogger<AuthenticationMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        // With the in-memory store authentication completes synchronously; the request then goes on
        // without a state machine of this step around the rest of the pipeline.
        var authenticating = AuthenticateRequestAsync(context);
        if (authenticating.IsCompletedSuccessfully)
        {
            return authenticating.Result ? next(context) : Task.CompletedTask;
        }

        return ContinueAsync(authenticating, context);
    }

    private async Task ContinueAsync(ValueTask<bool> authenticating, HttpContext context)
    {
        if (await authenticating)
        {
            await next(context);
        }
    }

    /// <returns>False when this step answered the request itself (the ticket redirect).</returns>
    private async ValueTask<bool> AuthenticateRequestAsync(HttpContext context)
    {
        var request = PorticoRequest.Of(context);
        var virtualProxy = request.VirtualProxy;

        // A ticket is Portico's credential: it never travels on to the engine, whatever the method.
        var ticket = TicketQuery.Find(context.Request.QueryString);
        if (ticket is not null)
        {
            context.Request.QueryString = TicketQuery.Remove(context.Request.QueryString);
        }

        var outcome = await AuthenticateAsync(context, virtualProxy, ticket);
        request.Authentication = outcome;
        if (outcome.RejectionReason is { } reason)
        {
            Log.CredentialRejected(logger, virtualProxy.DisplayName, outcome.Method, reason);
        }

        if (outcome.Session is { } session)
        {
            await EndReplacedSessionAsync(context, virtualProxy, outcome);
            if (outcome.IssuesCookie)
            {
                context.Response.Headers.Append("Set-Cookie", SessionCookie.Issue(virtualProxy.Config, session.Id, context.Request.IsHttps));
            }
            else
            {
                await sessions.TouchAsync(session, context.RequestAborted);
            }

            // Qlik's ticket flow: a page URL carrying a ticket is redirected to itself without it,
            // so the ticket leaves the address bar, history and any Referer.
            if (outcome.Method == CredentialKind.Ticket && IsPageRequest(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = (context.Request.PathBase + context.Request.Path).ToUriComponent() + context.Request.QueryString.ToUriComponent();
                context.Response.Headers["Referrer-Policy"] = "no-referrer";
                context.Response.Headers.CacheControl = "no-store";
                return false;
            }
        }

        return true;
    }

    private async ValueTask<AuthenticationOutcome> AuthenticateAsync(HttpContext context, VirtualProxy virtualProxy, string? ticket)
    {
        var config = virtualProxy.Config;
        var cancellationToken = context.RequestAborted;

        // 1. On an always-anonymous virtual proxy every user is anonymous: keep the session, or make one.
        if (config.AnonymousAccessMode == AnonymousAccessMode.AlwaysAnonymous)
        {
            return await CookieSessionAsync(context, virtualProxy, cancellationToken)
                ?? await AnonymousAsync(virtualProxy, cancellationToken);
        }

        // 2. An explicit credential decides when one is presented: it is a (new) login, and a cookie
        //    of an earlier session, perhaps another user's, must not override it.
        //    Bearer JWT, on JWT virtual proxies only.
        if (virtualProxy.Jwt is { } jwtPolicy && BearerToken(context.Request) is { } token)
        {
            var validation = JwtValidator.Validate(token, jwtPolicy, sessions.Now);
            if (!validation.Succeeded)
            {
                return AuthenticationOutcome.Rejected(CredentialKind.Bearer, validation.Reason);
            }

            var user = new AuthenticatedUser(validation.UserDirectory, validation.UserId) { Attributes = validation.Attributes };
            if (user.IsAnonymous)
            {
                return AuthenticationOutcome.Rejected(CredentialKind.Bearer, ReservedDirectoryReason);
            }

            return await SessionForCredentialAsync(virtualProxy, user, "jwt:" + Hash(token), CredentialKind.Bearer, cancellationToken);
        }

        // 3. One-time ticket, on ticket virtual proxies.
        if (ticket is not null && config.AuthenticationMethod == AuthenticationMethod.Ticket)
        {
            var redemption = tickets.Redeem(ticket, virtualProxy.Prefix);
            if (!redemption.Success)
            {
                return AuthenticationOutcome.Rejected(CredentialKind.Ticket, "ticket " + redemption.FailureReason);
            }

            var request = redemption.Ticket.Request;
            var user = new AuthenticatedUser(request.UserDirectory, request.UserId) { Attributes = request.Attributes };
            var session = await sessions.CreateAsync(virtualProxy, user, credentialKey: null, cancellationToken);
            return session is null
                ? AuthenticationOutcome.Rejected(CredentialKind.Ticket, "session could not be created")
                : AuthenticationOutcome.Authenticated(session, CredentialKind.Ticket, issuesCookie: true);
        }

        // 4. Trusted header, on header virtual proxies, only from trusted networks when they are configured.
        if (virtualProxy.IsHeaderAuthentication && context.Request.Headers[config.HeaderAuthenticationHeaderName!] is { Count: > 0 } headerValues)
        {
            if (virtualProxy.HeaderTrustedNetworks is { } trusted && !trusted.Contains(context.Connection.RemoteIpAddress))
            {
                return AuthenticationOutcome.Rejected(CredentialKind.Header, "authentication header from an untrusted network");
            }

            if (headerValues.Count > 1)
            {
                return AuthenticationOutcome.Rejected(CredentialKind.Header, "authentication header sent more than once");
            }

            var identity = virtualProxy.HeaderPattern is { } pattern
                ? HeaderIdentity.ParseDynamic(headerValues[0], pattern)
                : HeaderIdentity.ParseStatic(headerValues[0], config.HeaderAuthenticationStaticUserDirectory!);
            if (!identity.Success)
            {
                return AuthenticationOutcome.Rejected(CredentialKind.Header, identity.FailureReason);
            }

            if (identity.User.IsAnonymous)
            {
                return AuthenticationOutcome.Rejected(CredentialKind.Header, ReservedDirectoryReason);
            }

            return await SessionForCredentialAsync(virtualProxy, identity.User, "hdr:" + Hash(identity.User.UserDirectory + "\\" + identity.User.UserId), CredentialKind.Header, cancellationToken);
        }

        // 5. Otherwise the session cookie: only a live session of this virtual proxy counts.
        if (await CookieSessionAsync(context, virtualProxy, cancellationToken) is { } fromCookie)
        {
            return fromCookie;
        }

        // 6. Anonymous, when allowed and the client did not ask to log in (Qlik's forceAuthentication=yes).
        if (config.AnonymousAccessMode == AnonymousAccessMode.AllowAnonymous && !ForcesAuthentication(context.Request))
        {
            return await AnonymousAsync(virtualProxy, cancellationToken);
        }

        return AuthenticationOutcome.Unauthenticated;
    }

    /// <summary>
    /// A login through a browser that still carries another session ends that session: the browser
    /// moves to the new one, and a session planted by someone else (login CSRF) is gone with it.
    /// </summary>
    private async ValueTask EndReplacedSessionAsync(HttpContext context, VirtualProxy virtualProxy, AuthenticationOutcome outcome)
    {
        if (outcome.Method is CredentialKind.SessionCookie or CredentialKind.Anonymous
            || SessionCookie.ReadId(context.Request.Headers, virtualProxy.Config.SessionCookieHeaderName) is not { } previousId
            || previousId == outcome.Session!.Id)
        {
            return;
        }

        if (await sessions.ResolveAsync(virtualProxy, previousId, context.RequestAborted) is { } previous)
        {
            await sessions.EndAsync(previous.Id, SessionEndReason.ReplacedByLogin, context.RequestAborted);
        }
    }

    private async ValueTask<AuthenticationOutcome?> CookieSessionAsync(HttpContext context, VirtualProxy virtualProxy, CancellationToken cancellationToken) =>
        SessionCookie.ReadId(context.Request.Headers, virtualProxy.Config.SessionCookieHeaderName) is { } sessionId
        && await sessions.ResolveAsync(virtualProxy, sessionId, cancellationToken) is { } existing
            ? AuthenticationOutcome.Authenticated(existing, CredentialKind.SessionCookie, issuesCookie: false)
            : null;

    /// <summary>Per-request credentials reuse the session they created, instead of creating one per request.</summary>
    private async ValueTask<AuthenticationOutcome> SessionForCredentialAsync(VirtualProxy virtualProxy, AuthenticatedUser user, string credentialKey, CredentialKind method, CancellationToken cancellationToken)
    {
        if (await sessions.ResolveByCredentialAsync(virtualProxy, credentialKey, cancellationToken) is { } existing)
        {
            return AuthenticationOutcome.Authenticated(existing, method, issuesCookie: true);
        }

        var session = await sessions.CreateAsync(virtualProxy, user, credentialKey, cancellationToken);
        return session is null
            ? AuthenticationOutcome.Rejected(method, "session could not be created")
            : AuthenticationOutcome.Authenticated(session, method, issuesCookie: true);
    }

    private async ValueTask<AuthenticationOutcome> AnonymousAsync(VirtualProxy virtualProxy, CancellationToken cancellationToken)
    {
        var user = new AuthenticatedUser(AuthenticatedUser.AnonymousDirectory, "anon-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
        var session = await sessions.CreateAsync(virtualProxy, user, credentialKey: null, cancellationToken);
        return session is null
            ? AuthenticationOutcome.Rejected(CredentialKind.Anonymous, "session could not be created")
            : AuthenticationOutcome.Authenticated(session, CredentialKind.Anonymous, issuesCookie: true);
    }

    /// <summary>Only Portico makes anonymous users; a credential naming that directory would pass as one.</summary>
    private const string ReservedDirectoryReason = "the ANONYMOUS user directory is reserved for anonymous access";

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = value["Bearer ".Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    private static bool ForcesAuthentication(HttpRequest request) =>
        string.Equals(Http.QueryStrings.Find(request.QueryString, n => n.Equals("forceAuthentication", StringComparison.OrdinalIgnoreCase)), "yes", StringComparison.OrdinalIgnoreCase);

    internal static bool IsPageRequest(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && !HttpsRedirection.HttpListenerHandler.IsWebSocketUpgrade(request);

    private static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static partial class Log
    {
        [LoggerMessage(5001, LogLevel.Warning, "Credential refused on virtual proxy {VirtualProxy} ({Method}): {Reason}.")]
        public static partial void CredentialRejected(ILogger logger, string virtualProxy, CredentialKind method, string reason);
    }
}
