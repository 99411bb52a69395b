using Portico.Http;
using Portico.Limits;
using Portico.VirtualProxies;

namespace Portico.Authentication.Saml;

/// <summary>
/// SP-initiated login: an unauthenticated page request on a SAML virtual proxy is redirected to the
/// identity provider with an AuthnRequest (HTTP-Redirect binding). The request id is remembered with
/// the stored target, so the response can only complete a login Portico started.
/// </summary>
internal sealed class SamlLogin(SamlRequestStore requests, SamlSigningKey signingKey, ClientLimits clientLimits, TimeProvider time)
{
    /// <param name="targetId">Where the user was going, already stored (within the client's budget); null lands on the hub.</param>
    public async Task ChallengeAsync(HttpContext context, VirtualProxy virtualProxy, SamlServiceProvider sp, string? targetId)
    {
        // A request id is stored per redirect, so it costs the same client budget as a stored target.
        var requestId = (targetId is not null || clientLimits.TryStoreLoginTarget(context.Connection.RemoteIpAddress))
            ? await requests.RegisterAsync(virtualProxy.Prefix, targetId, context.RequestAborted)
            : null;
        if (requestId is null)
        {
            context.Response.Headers.RetryAfter = "60";
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "saml_busy",
                $"Too many SAML logins in progress on virtual proxy '{virtualProxy.DisplayName}'; try again in a minute.");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = SamlRedirectBinding.AuthnRequestUrl(sp, signingKey, requestId, time.GetUtcNow(), targetId);
        context.Response.Headers.CacheControl = "no-store";
    }
}
