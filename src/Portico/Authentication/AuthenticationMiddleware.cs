using System.Security.Cryptography;
using System.Text;
using Portico.Audit;
using Portico.Authentication.Header;
using Portico.Authentication.Jwt;
using Portico.Configuration;
using Portico.Http;
using Portico.Operations;
using Portico.Sessions;
using Portico.Tickets;
using Portico.VirtualProxies;

namespace Portico.Authentication;

/// <summary>
/// Step 5: decides who the request acts for, in the order <see cref="CredentialPrecedence"/> gives.
/// An existing session is touched (every use counts as activity, whatever credential found it); a
/// new login is only recorded here, and its session is made by <see cref="LoginSessions"/> when the
/// request turns out to need one. Refusing an unauthenticated request is
/// <see cref="ChallengeMiddleware"/>'s job, so Portico's own endpoints can answer it their way.
/// </summary>
internal sealed partial class AuthenticationMiddleware(RequestDelegate next, SessionManager sessions, LoginSessions logins, TicketStore tickets, PorticoMetrics metrics, AuditLog audit, ILogger<AuthenticationMiddleware> logger)
{
    internal const string UntrustedNetworkReason = "authentication header from an untrusted network";

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

    /// <returns>False when this step answered the request itself (the ticket redirect, or a login that could not be completed).</returns>
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

        var cookieId = SessionCookie.ReadId(context.Request.Headers, virtualProxy.Config.SessionCookieHeaderName);
        var outcome = await AuthenticateAsync(context, virtualProxy, ticket, cookieId);
        request.Authentication = outcome;
        if (outcome.RejectionReason is { } reason)
        {
            Log.CredentialRejected(logger, virtualProxy.DisplayName, outcome.Method, reason);
            metrics.Login(virtualProxy.DisplayName, outcome.Method, LoginOutcome.Rejected);
        }

        await audit.RecordAsync(AuditEvents.ForAuthentication(context, virtualProxy.Prefix, outcome));

        if (outcome.Session is { } session)
        {
            await sessions.TouchAsync(session, context.RequestAborted);
            if (outcome.IssuesCookie)
            {
                // A credential found its session while the browser holds another one: the browser moves.
                await logins.EndReplacedSessionAsync(context, virtualProxy, session.Id);
                context.Response.Headers.Append("Set-Cookie", SessionCookie.Issue(virtualProxy.Config, session.Id, context.Request.IsHttps));
            }
        }

        // Qlik's ticket flow: a page URL carrying a ticket is redirected to itself without it, so the
        // ticket leaves the address bar, history and any Referer. The redirect sets the cookie, so
        // the session is made now.
        if (outcome.Method == CredentialKind.Ticket && outcome.IsAuthenticated && IsPageRequest(context.Request))
        {
            if (await logins.EnsureAsync(context) is null)
            {
                return false;
            }

            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = (context.Request.PathBase + context.Request.Path).ToUriComponent() + context.Request.QueryString.ToUriComponent();
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.CacheControl = "no-store";
            return false;
        }

        return true;
    }

    private async ValueTask<AuthenticationOutcome> AuthenticateAsync(HttpContext context, VirtualProxy virtualProxy, string? ticket, string? cookieId)
    {
        var config = virtualProxy.Config;
        var bearer = virtualProxy.Jwt is not null ? BearerToken(context.Request) : null;
        var header = virtualProxy.IsHeaderAuthentication ? context.Request.Headers[config.HeaderAuthenticationHeaderName!] : default;
        var plan = CredentialPrecedence.Choose(new PresentedCredentials(
            config.AnonymousAccessMode,
            Bearer: bearer is not null,
            Ticket: ticket is not null && config.AuthenticationMethod == AuthenticationMethod.Ticket,
            Header: header.Count > 0,
            Cookie: cookieId is not null,
            ForcesAuthentication: ForcesAuthentication(context.Request)));

        var outcome = await JudgeAsync(plan.First, context, virtualProxy, bearer, ticket, header, cookieId);
        return outcome is null ? await JudgeAsync(plan.Otherwise, context, virtualProxy, bearer, ticket, header, cookieId) ?? AuthenticationOutcome.Unauthenticated : outcome;
    }

    /// <returns>Null only for a cookie that names no live session, so the plan's fallback is judged.</returns>
    private async ValueTask<AuthenticationOutcome?> JudgeAsync(CredentialKind credential, HttpContext context, VirtualProxy virtualProxy, string? bearer, string? ticket, Microsoft.Extensions.Primitives.StringValues header, string? cookieId)
    {
        var cancellationToken = context.RequestAborted;
        switch (credential)
        {
            case CredentialKind.SessionCookie:
                return await sessions.ResolveAsync(virtualProxy, cookieId!, cancellationToken) is { } existing
                    ? AuthenticationOutcome.Authenticated(existing, CredentialKind.SessionCookie, issuesCookie: false)
                    : null;

            case CredentialKind.Bearer:
            {
                var validation = JwtValidator.Validate(bearer!, virtualProxy.Jwt!, sessions.Now);
                if (!validation.Succeeded)
                {
                    return AuthenticationOutcome.Rejected(CredentialKind.Bearer, validation.Reason);
                }

                var user = new AuthenticatedUser(validation.UserDirectory, validation.UserId) { Attributes = validation.Attributes };
                // The validator applies UserIdentityRule: a reserved directory (ANONYMOUS) never gets here.
                return await PerRequestCredentialAsync(virtualProxy, user, "jwt:" + Hash(bearer!), CredentialKind.Bearer, cookieId, cancellationToken);
            }

            case CredentialKind.Ticket:
            {
                var redemption = await tickets.RedeemAsync(ticket!, virtualProxy.Prefix, cancellationToken);
                if (!redemption.Success)
                {
                    return AuthenticationOutcome.Rejected(CredentialKind.Ticket, "ticket " + redemption.FailureReason);
                }

                var request = redemption.Ticket.Request;
                var user = new AuthenticatedUser(request.UserDirectory, request.UserId) { Attributes = request.Attributes };
                return AuthenticationOutcome.LoginPending(new PendingLogin(user, CredentialKey: null, CredentialKind.Ticket));
            }

            case CredentialKind.Header:
            {
                // Only from trusted networks when they are configured.
                if (virtualProxy.HeaderTrustedNetworks is { } trusted && !trusted.Contains(context.Connection.RemoteIpAddress))
                {
                    return AuthenticationOutcome.Rejected(CredentialKind.Header, UntrustedNetworkReason);
                }

                if (header.Count > 1)
                {
                    return AuthenticationOutcome.Rejected(CredentialKind.Header, "authentication header sent more than once");
                }

                var identity = virtualProxy.HeaderPattern is { } pattern
                    ? HeaderIdentity.ParseDynamic(header[0], pattern)
                    : HeaderIdentity.ParseStatic(header[0], virtualProxy.Config.HeaderAuthenticationStaticUserDirectory!);
                if (!identity.Success)
                {
                    return AuthenticationOutcome.Rejected(CredentialKind.Header, identity.FailureReason);
                }

                return await PerRequestCredentialAsync(virtualProxy, identity.User, "hdr:" + Hash(identity.User.UserDirectory + "\\" + identity.User.UserId), CredentialKind.Header, cookieId, cancellationToken);
            }

            case CredentialKind.Anonymous:
                return AuthenticationOutcome.LoginPending(PendingLogin.Anonymous);

            default:
                return AuthenticationOutcome.Unauthenticated;
        }
    }

    /// <summary>
    /// Per-request credentials reuse the session they created, instead of creating one per request;
    /// the cookie is sent again only when the browser's does not already name that session.
    /// </summary>
    private async ValueTask<AuthenticationOutcome> PerRequestCredentialAsync(VirtualProxy virtualProxy, AuthenticatedUser user, string credentialKey, CredentialKind method, string? cookieId, CancellationToken cancellationToken) =>
        await sessions.ResolveByCredentialAsync(virtualProxy, credentialKey, cancellationToken) is { } existing
            ? AuthenticationOutcome.Authenticated(existing, method, issuesCookie: !string.Equals(cookieId, existing.Id, StringComparison.Ordinal))
            : AuthenticationOutcome.LoginPending(new PendingLogin(user, credentialKey, method));

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
        request.QueryString.HasValue
        && string.Equals(QueryStrings.Find(request.QueryString, n => n.Equals("forceAuthentication", StringComparison.OrdinalIgnoreCase)), "yes", StringComparison.OrdinalIgnoreCase);

    internal static bool IsPageRequest(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && !HttpsRedirection.HttpListenerHandler.IsWebSocketUpgrade(request);

    private static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static partial class Log
    {
        [LoggerMessage(5001, LogLevel.Warning, "Credential refused on virtual proxy {VirtualProxy} ({Method}): {Reason}.")]
        public static partial void CredentialRejected(ILogger logger, string virtualProxy, CredentialKind method, string reason);
    }
}
