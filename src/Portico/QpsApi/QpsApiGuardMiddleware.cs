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
        if (certificate is null)
        {
            Log.Refused(logger, "no client certificate");
            audit.Refused(AuditEvents.QpsApiRefused(context, "client_certificate_required", "no client certificate"));
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "client_certificate_required",
                "The QPS API requires a trusted client certificate (mutual TLS).");
            return;
        }

        // Certificate validity is a wall-clock question (the TLS peer judged ours the same way).
        var decision = trust.Policy.Evaluate(certificate, TimeProvider.System.GetUtcNow());
        if (!decision.Allowed)
        {
            Log.Refused(logger, decision.Reason);
            audit.Refused(AuditEvents.QpsApiRefused(context, "client_certificate_not_trusted", decision.Reason));
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "client_certificate_not_trusted",
                $"The client certificate is not trusted: {decision.Reason}.");
            return;
        }

        var xrf = XrfKey.Check(context.Request);
        if (!xrf.IsValid)
        {
            Log.Refused(logger, xrf.FailureReason);
            audit.Refused(AuditEvents.QpsApiRefused(context, "xrfkey", xrf.FailureReason));
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "xrfkey",
                $"Request refused: {xrf.FailureReason}. Send the same 16 characters (0-9 a-z A-Z) as the xrfkey query parameter and the X-Qlik-Xrfkey header.");
            return;
        }

        context.Response.Headers["X-Qlik-Xrfkey"] = context.Request.Headers["X-Qlik-Xrfkey"];
        await next(context);
    }

    private static partial class Log
    {
        [LoggerMessage(4001, LogLevel.Warning, "QPS API request refused: {Reason}.")]
        public static partial void Refused(ILogger logger, string reason);
    }
}
