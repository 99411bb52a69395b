using Portico.Audit;
using Portico.Http;
using Portico.QpsApi;

namespace Portico.Admin;

/// <summary>
/// The admin API's door, with the QPS API's rules (QpsApi/QpsApiTrust.cs, XrfKey.cs): a trusted
/// client certificate (mutual TLS) and Qlik's xrfkey pair, else 401/403 with the reason, and no
/// endpoint runs. The caller it admits is recorded for the audit log.
/// </summary>
internal sealed partial class AdminApiGuardMiddleware(RequestDelegate next, QpsApiTrust trust, AuditLog audit, ILogger<AdminApiGuardMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted);
        if (certificate is null)
        {
            Log.Refused(logger, "no client certificate");
            audit.Refused(AdminAuditEvents.Refused(context, "client_certificate_required", "no client certificate"));
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "client_certificate_required",
                "The admin API requires a trusted client certificate (mutual TLS).");
            return;
        }

        var decision = trust.Policy.Evaluate(certificate, TimeProvider.System.GetUtcNow());
        if (!decision.Allowed)
        {
            Log.Refused(logger, decision.Reason);
            audit.Refused(AdminAuditEvents.Refused(context, "client_certificate_not_trusted", decision.Reason));
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "client_certificate_not_trusted",
                $"The client certificate is not trusted: {decision.Reason}.");
            return;
        }

        var xrf = XrfKey.Check(context.Request);
        if (!xrf.IsValid)
        {
            Log.Refused(logger, xrf.FailureReason);
            audit.Refused(AdminAuditEvents.Refused(context, "xrfkey", xrf.FailureReason));
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "xrfkey",
                $"Request refused: {xrf.FailureReason}. Send the same 16 characters (0-9 a-z A-Z) as the xrfkey query parameter and the X-Qlik-Xrfkey header.");
            return;
        }

        new AdminCaller(certificate.Subject, AdminCaller.QlikUserOf(context.Request.Headers["X-Qlik-User"].FirstOrDefault())).Attach(context);
        context.Response.Headers[XrfKey.HeaderName] = context.Request.Headers[XrfKey.HeaderName];
        context.Response.Headers.CacheControl = "no-store";
        await next(context);
    }

    private static partial class Log
    {
        [LoggerMessage(4202, LogLevel.Warning, "Admin API request refused: {Reason}.")]
        public static partial void Refused(ILogger logger, string reason);
    }
}
