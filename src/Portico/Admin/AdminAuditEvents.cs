using System.Text.Json.Nodes;
using Portico.Audit;

namespace Portico.Admin;

/// <summary>The audit events of the admin API (codes admin.*, docs/admin-api.md).</summary>
internal static class AdminAuditEvents
{
    public static AuditEvent Changed(HttpContext context, string code, AdminCaller caller, string prefix, JsonObject? before, JsonObject? after, long? version) =>
        AuditEvent.ForRequest(context, code, AuditOutcome.Success, prefix) with
        {
            Actor = caller.Actor,
            Before = EntityDiff.Redact(before),
            After = EntityDiff.Redact(after),
            Version = version,
        };

    /// <param name="reason">invalid, conflict, precondition_failed, not_found, source_changed.</param>
    public static AuditEvent Rejected(HttpContext context, AdminCaller caller, string? prefix, string reason, IReadOnlyList<string>? errors = null) =>
        AuditEvent.ForRequest(context, AuditCodes.AdminChangeRejected, AuditOutcome.Failure, prefix) with
        {
            Actor = caller.Actor,
            Reason = reason,
            Errors = errors,
        };

    public static AuditEvent SessionRevoked(HttpContext context, AdminCaller caller, Sessions.Session session) =>
        AuditEvent.ForRequest(context, AuditCodes.AdminSessionRevoked, AuditOutcome.Success, session.VirtualProxyPrefix) with
        {
            Actor = caller.Actor,
            UserDirectory = session.User.UserDirectory,
            UserId = session.User.UserId,
            SessionId = session.Id,
        };

    public static AuditEvent Refused(HttpContext context, string reason, string? detail) =>
        AuditEvent.ForRequest(context, AuditCodes.AdminRefused, AuditOutcome.Failure, virtualProxy: null) with { Reason = reason, Detail = detail };
}
