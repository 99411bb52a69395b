using Portico.Audit;
using Portico.Http;

namespace Portico.QpsApi;

/// <summary>
/// Every QPS API request must come from a trusted client certificate (mutual TLS) and carry Qlik's
/// xrfkey pair; otherwise 401/403 with the reason, and no endpoint runs.
/// </summary>
internal sealed partial class QpsApiGuardMiddleware(RequestDelegate next, QpsApiTrust trust, AuditLog audit, ILogger<QpsApiGuardMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted);
        if (ApiDoor.Judge("The QPS API", certificate, trust.Policy, TimeProvider.System.GetUtcNow(), XrfKey.Check(context.Request)) is { } refusal)
        {
            Log.Refused(logger, refusal.Reason);
            audit.Refused(AuditEvents.QpsApiRefused(context, refusal.Code, refusal.Reason));
            await PorticoResponse.WriteErrorAsync(context, refusal.Status, refusal.Code, refusal.Message);
            return;
        }

        context.Response.Headers[XrfKey.HeaderName] = context.Request.Headers[XrfKey.HeaderName];
        await next(context);
    }

    private static partial class Log
    {
        [LoggerMessage(4001, LogLevel.Warning, "QPS API request refused: {Reason}.")]
        public static partial void Refused(ILogger logger, string reason);
    }
}
