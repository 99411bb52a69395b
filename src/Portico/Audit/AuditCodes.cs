namespace Portico.Audit;

/// <summary>
/// The stable event codes of the audit log. Admins filter and alert on these, so a code never
/// changes meaning; the list is documented in docs/operations.md, "Audit log".
/// </summary>
internal static class AuditCodes
{
    public const string LoginSucceeded = "login.succeeded";
    public const string LoginFailed = "login.failed";
    public const string SessionCreated = "session.created";
    public const string SessionEnded = "session.ended";
    public const string TicketIssued = "ticket.issued";
    public const string TicketRedeemed = "ticket.redeemed";
    public const string TicketRefused = "ticket.refused";
    public const string CsrfRefused = "csrf.refused";
    public const string OriginRefused = "origin.refused";
    public const string HeaderUntrustedAddress = "header.untrusted_address";
    public const string QpsApiRefused = "qps_api.refused";
    public const string OidcRefused = "oidc.refused";
    public const string ConfigApplied = "config.applied";
    public const string ConfigRejected = "config.rejected";

    /// <summary>Refusals that could not be written because the writer was behind: only their number is known.</summary>
    public const string RefusalsDropped = "audit.refusals_dropped";

    /// <summary>Refusals of a window beyond the aggregation map's capacity, counted together.</summary>
    public const string RefusalsOther = "audit.refusals_other";
}
