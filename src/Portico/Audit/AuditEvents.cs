using Portico.Authentication;
using Portico.Configuration;
using Portico.Csrf;
using Portico.Sessions;
using Portico.Tickets;

namespace Portico.Audit;

/// <summary>
/// The audit event of each decision, built from what the decision already returned: the decision
/// functions stay pure and the decision points add one line each. The reason codes are stable and
/// documented in docs/operations.md, "Audit log".
/// </summary>
internal static class AuditEvents
{
    /// <summary>
    /// Step 5's verdict: a refused credential (login.failed, ticket.refused or
    /// header.untrusted_address), or a ticket that was redeemed. Null when there is nothing to audit
    /// yet: no credential, an existing session, or a login whose session is still to be made (that
    /// is audited as login.succeeded when it is).
    /// </summary>
    public static AuditEvent? ForAuthentication(HttpContext context, string virtualProxy, AuthenticationOutcome outcome)
    {
        if (outcome.RejectionReason is { } detail)
        {
            var (code, reason) = ClassifyRejection(outcome.Method, detail);
            return AuditEvent.ForRequest(context, code, AuditOutcome.Failure, virtualProxy) with { Method = MethodName(outcome.Method), Reason = reason, Detail = detail };
        }

        return outcome is { Method: CredentialKind.Ticket, Pending.User: { } user }
            ? AuditEvent.ForRequest(context, AuditCodes.TicketRedeemed, AuditOutcome.Success, virtualProxy) with { Method = "ticket", UserDirectory = user.UserDirectory, UserId = user.UserId }
            : null;
    }

    internal static (string Code, string Reason) ClassifyRejection(CredentialKind method, string detail) => method switch
    {
        CredentialKind.Ticket => (AuditCodes.TicketRefused, detail switch
        {
            "ticket " + TicketRedemption.ExpiredReason => "ticket_expired",
            "ticket " + TicketRedemption.WrongVirtualProxyReason => "ticket_wrong_virtual_proxy",
            "ticket " + TicketRedemption.UnknownReason => "ticket_unknown",
            _ => "ticket_invalid",
        }),
        CredentialKind.Header when detail == AuthenticationMiddleware.UntrustedNetworkReason => (AuditCodes.HeaderUntrustedAddress, "untrusted_address"),
        CredentialKind.Header => (AuditCodes.LoginFailed, "header_invalid"),
        CredentialKind.Bearer => (AuditCodes.LoginFailed, "jwt_invalid"),
        _ => (AuditCodes.LoginFailed, "credential_invalid"),
    };

    /// <summary>A login whose session was just made (login.succeeded).</summary>
    public static AuditEvent LoginSucceeded(HttpContext context, string virtualProxy, string method, Session session) =>
        AuditEvent.ForRequest(context, AuditCodes.LoginSucceeded, AuditOutcome.Success, virtualProxy) with
        {
            Method = method,
            UserDirectory = session.User.UserDirectory,
            UserId = session.User.UserId,
            SessionId = session.Id,
        };

    /// <summary>A login that was decided but whose session could not be made (login.failed).</summary>
    public static AuditEvent LoginRefused(HttpContext context, string virtualProxy, string method, SessionRefusal refusal, AuthenticatedUser? user = null) =>
        AuditEvent.ForRequest(context, AuditCodes.LoginFailed, AuditOutcome.Failure, virtualProxy) with
        {
            Method = method,
            UserDirectory = user?.UserDirectory,
            UserId = user?.UserId,
            Reason = refusal switch
            {
                SessionRefusal.Full => "session_cap",
                SessionRefusal.RateLimited => "rate_limited",
                SessionRefusal.IdInUse => "session_id_in_use",
                _ => "no_session",
            },
        };

    public static AuditEvent SessionCreated(Session session) => new()
    {
        Code = AuditCodes.SessionCreated,
        Outcome = AuditOutcome.Success,
        VirtualProxy = session.VirtualProxyPrefix,
        UserDirectory = session.User.UserDirectory,
        UserId = session.User.UserId,
        SessionId = session.Id,
    };

    public static AuditEvent SessionEnded(Session session, SessionEndReason reason) => new()
    {
        Code = AuditCodes.SessionEnded,
        Outcome = AuditOutcome.Info,
        VirtualProxy = session.VirtualProxyPrefix,
        UserDirectory = session.User.UserDirectory,
        UserId = session.User.UserId,
        SessionId = session.Id,
        Reason = EndReasonCode(reason),
    };

    internal static string EndReasonCode(SessionEndReason reason) => reason switch
    {
        SessionEndReason.Logout => "logout",
        SessionEndReason.IdleTimeout => "idle_timeout",
        SessionEndReason.LifetimeExpired => "lifetime_expired",
        SessionEndReason.AdminDeleted => "admin_deleted",
        SessionEndReason.UserTeardown => "user_teardown",
        SessionEndReason.SessionLimit => "session_limit",
        SessionEndReason.ReplacedByLogin => "replaced_by_login",
        SessionEndReason.NeverUsed => "never_used",
        _ => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(reason.ToString()),
    };

    /// <summary>A ticket handed to a trusted back end over the QPS API; never the ticket itself.</summary>
    public static AuditEvent TicketIssued(HttpContext context, string virtualProxy, string userDirectory, string userId) =>
        AuditEvent.ForRequest(context, AuditCodes.TicketIssued, AuditOutcome.Success, virtualProxy) with { UserDirectory = userDirectory, UserId = userId };

    public static AuditEvent CsrfRefused(HttpContext context, string virtualProxy, CsrfDecision decision, Session? session) =>
        AuditEvent.ForRequest(context, AuditCodes.CsrfRefused, AuditOutcome.Failure, virtualProxy) with
        {
            Reason = decision.Code ?? "csrf",
            Detail = decision.Reason,
            UserDirectory = session?.User.UserDirectory,
            UserId = session?.User.UserId,
            SessionId = session?.Id,
        };

    /// <param name="reason">websocket_origin or preflight_origin.</param>
    public static AuditEvent OriginRefused(HttpContext context, string virtualProxy, string reason, string detail) =>
        AuditEvent.ForRequest(context, AuditCodes.OriginRefused, AuditOutcome.Failure, virtualProxy) with { Reason = reason, Detail = detail };

    /// <summary>A caller of the QPS REST API refused before any endpoint ran.</summary>
    /// <param name="reason">client_certificate_required, client_certificate_not_trusted or xrfkey.</param>
    public static AuditEvent QpsApiRefused(HttpContext context, string reason, string? detail) =>
        AuditEvent.ForRequest(context, AuditCodes.QpsApiRefused, AuditOutcome.Failure, virtualProxy: null) with { Reason = reason, Detail = detail };

    /// <summary>A SAML message refused at the ACS or SLO endpoint; the reason is the refusal's stable code, never the message itself.</summary>
    public static AuditEvent SamlRefused(HttpContext context, string virtualProxy, string reason, string detail) =>
        AuditEvent.ForRequest(context, AuditCodes.SamlRefused, AuditOutcome.Failure, virtualProxy) with { Method = "saml", Reason = reason, Detail = detail };
    /// <summary>An OIDC login refused at its callback or start; <paramref name="reason"/> is one of docs/security.md's OIDC codes. Never the code, state or token.</summary>
    public static AuditEvent OidcRefused(HttpContext context, string virtualProxy, string reason, string detail) =>
        AuditEvent.ForRequest(context, AuditCodes.OidcRefused, AuditOutcome.Failure, virtualProxy) with { Method = "oidc", Reason = reason, Detail = detail };

    /// <param name="source">start or reload.</param>
    public static AuditEvent ConfigApplied(long version, string source, IReadOnlyList<string> needRestart) => new()
    {
        Code = AuditCodes.ConfigApplied,
        Outcome = AuditOutcome.Success,
        Reason = source,
        Version = version,
        Detail = needRestart.Count == 0 ? null : "takes effect after a restart: " + string.Join(", ", needRestart),
    };

    public static AuditEvent ConfigRejected(IReadOnlyList<ConfigError> errors) => new()
    {
        Code = AuditCodes.ConfigRejected,
        Outcome = AuditOutcome.Failure,
        Reason = "invalid",
        Errors = errors.Select(e => e.ToString()).ToList(),
    };

    public static string MethodName(CredentialKind method) => method switch
    {
        CredentialKind.SessionCookie => "cookie",
        CredentialKind.Bearer => "jwt",
        CredentialKind.Ticket => "ticket",
        CredentialKind.Header => "header",
        CredentialKind.Anonymous => "anonymous",
        CredentialKind.Saml => "saml",
        CredentialKind.Oidc => "oidc",
        _ => "none",
    };
}
