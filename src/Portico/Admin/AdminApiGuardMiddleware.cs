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
        if (ApiDoor.Judge("The admin API", certificate, trust.Policy, TimeProvider.System.GetUtcNow(), XrfKey.Check(context.Request)) is { } refusal)
        {
            Log.Refused(logger, refusal.Reason);
            audit.Refused(AdminAuditEvents.Refused(context, refusal.Code, refusal.Reason));
            await PorticoResponse.WriteErrorAsync(context, refusal.Status, refusal.Code, refusal.Message);
            return;
        }

        // The door admits no request without a certificate.
        new AdminCaller(certificate!.Subject, AdminCaller.QlikUserOf(context.Request.Headers["X-Qlik-User"].FirstOrDefault())).Attach(context);
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
