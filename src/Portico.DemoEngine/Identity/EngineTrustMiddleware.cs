using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portico.DemoEngine.Identity;

/// <summary>
/// Decides whether the engine believes a request's identity, in the modes real engines have:
/// <list type="number">
/// <item>client-certificate mode (Qlik Sense Enterprise): the TLS handshake has already refused
///   connections without a certificate from the configured CA; a request without one (there should be
///   none) loses its X-Qlik-User and is refused with 403;</item>
/// <item>JWT mode (Qlik Core): every request and upgrade but the health check needs a valid bearer
///   token, or gets 401; the token's user replaces any X-Qlik-User the request carried;</item>
/// <item>neither: X-Qlik-User is believed as it comes (the engine then belongs on a private network
///   behind the proxy).</item>
/// </list>
/// </summary>
internal sealed partial class EngineTrustMiddleware(RequestDelegate next, bool requireClientCertificate, EngineJwtValidator? jwt, ILogger<EngineTrustMiddleware> logger)
{
    private const string BearerPrefix = "Bearer ";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/healthcheck", StringComparison.OrdinalIgnoreCase))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (requireClientCertificate && context.Connection.ClientCertificate is null)
        {
            context.Request.Headers.Remove(QlikUser.HeaderName);
            Log.Refused(logger, "no client certificate");
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (jwt is not null)
        {
            string authorization = context.Request.Headers.Authorization.ToString();
            if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            {
                await RefuseAsync(context, "no bearer token").ConfigureAwait(false);
                return;
            }

            var (user, refusal) = await jwt.ValidateAsync(authorization[BearerPrefix.Length..].Trim()).ConfigureAwait(false);
            if (user is null)
            {
                await RefuseAsync(context, refusal ?? "invalid token").ConfigureAwait(false);
                return;
            }

            context.Request.Headers[QlikUser.HeaderName] = user.User.ToHeaderValue();
        }

        await next(context).ConfigureAwait(false);
    }

    private Task RefuseAsync(HttpContext context, string reason)
    {
        Log.Refused(logger, reason);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Engine request refused: {Reason}.")]
        public static partial void Refused(ILogger logger, string reason);
    }
}
