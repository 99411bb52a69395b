using Portico.Audit;
using Portico.Http;
using Portico.Sessions;
using Portico.Tickets;
using Portico.VirtualProxies;

namespace Portico.Authentication.Saml;

/// <summary>
/// Portico's SAML service provider endpoints under <c>/{prefix}/saml/</c> of a SAML virtual proxy:
/// <c>GET metadata</c> (for the identity provider, unauthenticated), <c>POST acs</c> (the
/// HTTP-POST binding's response: validated, then a session and a redirect to where the user was
/// going), <c>GET logout</c> (ends the session, then single logout at the identity provider when
/// samlSlo is on) and <c>GET slo</c> (where the identity provider's LogoutResponse comes back).
/// Runs after authentication and before the CSRF step: the ACS is posted cross-site by design, and
/// its protection is the signed response bound to a request Portico sent, not a token.
/// </summary>
internal sealed partial class SamlEndpointsMiddleware(RequestDelegate next, SamlRequestStore requests, SamlSigningKey signingKey, TargetStore targets, SessionManager sessions, LoginSessions logins, AuditLog audit, ILogger<SamlEndpointsMiddleware> logger)
{
    /// <summary>Where a user goes after login when no target was stored: Qlik's hub.</summary>
    public const string DefaultLanding = "/hub/";

    public Task InvokeAsync(HttpContext context)
    {
        var request = PorticoRequest.Of(context);
        var path = context.Request.Path.Value ?? "/";
        if (request.VirtualProxy.Saml is not { } sp || !path.StartsWith(SamlServiceProvider.PathPrefix, StringComparison.Ordinal))
        {
            return next(context);
        }

        context.Response.Headers.CacheControl = "no-store";
        return (path, context.Request.Method) switch
        {
            (SamlServiceProvider.MetadataPath, "GET" or "HEAD") => MetadataAsync(context, sp, signingKey),
            (SamlServiceProvider.AcsPath, "POST") => AcsAsync(context, request, sp),
            // SAML's web browser SSO profile carries the Response only by POST (or artifact), never in a URL.
            (SamlServiceProvider.AcsPath, _) => RefuseAsync(context, request.VirtualProxy, SamlValidation.Refused(SamlRefusal.Binding, "the ACS accepts the HTTP-POST binding only"), StatusCodes.Status405MethodNotAllowed),
            (SamlServiceProvider.LogoutPath, "GET") => LogoutAsync(context, request, sp),
            (SamlServiceProvider.SloPath, "GET") => SloAsync(context, request.VirtualProxy),
            _ => PorticoResponse.WriteErrorAsync(context, StatusCodes.Status404NotFound, "not_found", "No SAML endpoint at this path."),
        };
    }

    private static Task MetadataAsync(HttpContext context, SamlServiceProvider sp, SamlSigningKey signingKey)
    {
        context.Response.ContentType = "application/samlmetadata+xml; charset=utf-8";
        return context.Response.WriteAsync(SpMetadata.Generate(sp, signingKey.Certificate));
    }

    private async Task AcsAsync(HttpContext context, PorticoRequest request, SamlServiceProvider sp)
    {
        var virtualProxy = request.VirtualProxy;
        if (!context.Request.HasFormContentType)
        {
            await RefuseAsync(context, virtualProxy, SamlValidation.Refused(SamlRefusal.Binding, "the ACS expects an HTML form post with SAMLResponse"), StatusCodes.Status400BadRequest);
            return;
        }

        Microsoft.AspNetCore.Http.IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueLengthLimit = SamlResponseValidator.MaxEncodedLength, ValueCountLimit = 8 }, context.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            await RefuseAsync(context, virtualProxy, SamlValidation.Refused(SamlRefusal.Malformed, "the form post could not be read within its limits"), StatusCodes.Status400BadRequest);
            return;
        }

        var samlResponse = form["SAMLResponse"];
        if (samlResponse.Count != 1)
        {
            await RefuseAsync(context, virtualProxy, SamlValidation.Refused(SamlRefusal.Malformed, "exactly one SAMLResponse is expected"), StatusCodes.Status400BadRequest);
            return;
        }

        var validation = SamlResponseValidator.Validate(samlResponse[0], sp, sessions.Now);
        if (validation.Assertion is not { } assertion)
        {
            await RefuseAsync(context, virtualProxy, validation, StatusCodes.Status403Forbidden);
            return;
        }

        // The response answers a request Portico sent for this virtual proxy, once: a replay finds nothing.
        var (consumed, targetId) = await requests.TryConsumeAsync(assertion.InResponseTo, virtualProxy.Prefix, context.RequestAborted);
        if (!consumed)
        {
            await RefuseAsync(context, virtualProxy, SamlValidation.Refused(SamlRefusal.InResponseTo, "the response answers no pending request of this virtual proxy (unknown, expired or already used)"), StatusCodes.Status403Forbidden);
            return;
        }

        if (SamlUserMapping.Map(assertion, sp, out var refusal) is not { } user)
        {
            await RefuseAsync(context, virtualProxy, refusal!, StatusCodes.Status403Forbidden);
            return;
        }

        request.Authentication = AuthenticationOutcome.LoginPending(new PendingLogin(user with { Saml = new SamlSubject(assertion.NameId, assertion.SessionIndex) }, CredentialKey: null, CredentialKind.Saml));
        if (await logins.EnsureAsync(context) is null)
        {
            return;
        }

        // Only a target Portico stored with its own request; RelayState as posted is never followed.
        var target = await targets.ResolveAsync(targetId, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = target?.AbsoluteUri ?? virtualProxy.PathBase + DefaultLanding;
    }

    private async Task LogoutAsync(HttpContext context, PorticoRequest request, SamlServiceProvider sp)
    {
        var virtualProxy = request.VirtualProxy;

        // A link on another site must not log the user out here and, through single logout, everywhere.
        if (string.Equals(context.Request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            await RefuseAsync(context, virtualProxy, SamlValidation.Refused(SamlRefusal.CrossSite, "logout was requested from another site"), StatusCodes.Status403Forbidden);
            return;
        }

        var session = request.AuthenticationOutcome.Session;
        if (session is not null)
        {
            await sessions.EndAsync(session.Id, SessionEndReason.Logout, context.RequestAborted);
        }

        context.Response.Headers.Append("Set-Cookie", SessionCookie.Clear(virtualProxy.Config, context.Request.IsHttps));
        if (sp.SingleLogout && sp.Idp.SingleLogoutUrl is { } slo && session?.User.Saml is { } subject)
        {
            var id = "_" + RandomIdentifier.Create(RandomIdentifier.Csprng);
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = SamlRedirectBinding.LogoutRequestUrl(sp, signingKey, slo, id, sessions.Now, subject.NameId, subject.SessionIndex);
            return;
        }

        await LoggedOutAsync(context, virtualProxy);
    }

    /// <summary>
    /// The identity provider's LogoutResponse: the session already ended before the request was sent,
    /// so the answer changes nothing and needs no trust. An identity-provider-initiated LogoutRequest
    /// is refused (docs/security.md, SAML): acting on one would need its signature checked first.
    /// </summary>
    private Task SloAsync(HttpContext context, VirtualProxy virtualProxy) =>
        context.Request.Query.ContainsKey("SAMLRequest")
            ? RefuseAsync(context, virtualProxy, SamlValidation.Refused(SamlRefusal.Binding, "logout requests from the identity provider are not supported; log out through Portico"), StatusCodes.Status400BadRequest)
            : LoggedOutAsync(context, virtualProxy);

    private static Task LoggedOutAsync(HttpContext context, VirtualProxy virtualProxy)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync($"Logged out of virtual proxy '{virtualProxy.DisplayName}'.");
    }

    private Task RefuseAsync(HttpContext context, VirtualProxy virtualProxy, SamlValidation refusal, int status)
    {
        var code = refusal.Refusal.Code();
        Log.Refused(logger, virtualProxy.DisplayName, code, refusal.Detail);
        audit.Refused(AuditEvents.SamlRefused(context, virtualProxy.Prefix, code, refusal.Detail));
        return PorticoResponse.WriteErrorAsync(context, status, code, $"SAML login refused on virtual proxy '{virtualProxy.DisplayName}': {refusal.Detail}.");
    }

    private static partial class Log
    {
        [LoggerMessage(5101, LogLevel.Warning, "SAML message refused on virtual proxy {VirtualProxy} ({Code}): {Reason}.")]
        public static partial void Refused(ILogger logger, string virtualProxy, string code, string reason);
    }
}
