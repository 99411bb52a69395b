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
    public const string ConfigApplied = "config.applied";
    public const string ConfigRejected = "config.rejected";
    public const string AdminVirtualProxyCreated = "admin.virtualproxy.created";
    public const string AdminVirtualProxyUpdated = "admin.virtualproxy.updated";
    public const string AdminVirtualProxyDeleted = "admin.virtualproxy.deleted";

    /// <summary>An admin API change refused: invalid, stale (409/412) or not found.</summary>
    public const string AdminChangeRejected = "admin.change.rejected";
    public const string AdminSessionRevoked = "admin.session.revoked";

    /// <summary>An admin API caller refused by the guard (no or untrusted client certificate, no xrfkey pair).</summary>
    public const string AdminRefused = "admin.refused";

    /// <summary>Refusals that could not be written because the writer was behind: only their number is known.</summary>
    public const string RefusalsDropped = "audit.refusals_dropped";

    /// <summary>Refusals of a window beyond the aggregation map's capacity, counted together.</summary>
    public const string RefusalsOther = "audit.refusals_other";
}
