using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Portico.Audit;
using Portico.Configuration;
using Portico.Http;
using Portico.HttpsRedirection;
using Portico.Limits;
using Portico.Listeners;
using Portico.Sessions;
using Portico.Tickets;
using Portico.VirtualProxies;

namespace Portico.Authentication.Oidc;

/// <summary>
/// The relying party's endpoints of an OIDC virtual proxy (docs/security.md, "OpenID Connect"):
/// <c>/{prefix}/oidc/login</c> sends the browser to the provider (authorization code flow with
/// PKCE S256, state and nonce), <c>/{prefix}/oidc/callback</c> is the one redirect URI, and
/// <c>/{prefix}/oidc/logout</c> ends the session and the provider's (RP-initiated logout).
/// Nothing under /oidc/ is forwarded to an engine.
/// </summary>
internal sealed partial class OidcEndpointsMiddleware(
    RequestDelegate next,
    OidcProviders providers,
    OidcLoginStore logins,
    OidcLogoutHints logoutHints,
    LoginSessions loginSessions,
    SessionManager sessions,
    TargetStore targets,
    ClientLimits clientLimits,
    ConfigSnapshotStore snapshots,
    BoundListeners listeners,
    AuditLog audit,
    ILogger<OidcEndpointsMiddleware> logger)
{
    public const string LoginPath = "/oidc/login";
    public const string CallbackPath = "/oidc/callback";
    public const string LogoutPath = "/oidc/logout";

    private const int RandomBytes = 32;

    private readonly ConditionalWeakTable<VirtualProxyConfig, StrongBox<OidcSettings?>> _settings = new();

    public Task InvokeAsync(HttpContext context)
    {
        var request = PorticoRequest.Of(context);
        var virtualProxy = request.VirtualProxy;
        var path = context.Request.Path.Value ?? "/";
        if (virtualProxy.Config.AuthenticationMethod != AuthenticationMethod.Oidc
            || !(path.StartsWith("/oidc/", StringComparison.OrdinalIgnoreCase) || path.Equals("/oidc", StringComparison.OrdinalIgnoreCase)))
        {
            return next(context);
        }

        if (SettingsOf(virtualProxy) is not { } settings)
        {
            return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "oidc_unavailable", "OIDC is not usable on this virtual proxy: its client secret cannot be read (see the configuration errors).");
        }

        var isGet = HttpMethods.IsGet(context.Request.Method);
        return path switch
        {
            LoginPath when isGet => LoginAsync(context, virtualProxy, settings),
            CallbackPath when isGet => CallbackAsync(context, virtualProxy, settings),
            LogoutPath when isGet => LogoutAsync(context, virtualProxy, settings),
            // Anything else that carries what a callback carries is a callback sent to the wrong
            // redirect URI: refused and audited, never exchanged.
            _ when context.Request.Query.ContainsKey("code") || context.Request.Query.ContainsKey("state")
                => RefuseAsync(context, virtualProxy, new OidcFailure(OidcRefusal.RedirectMismatch, "a callback arrived on a path that is not the configured redirect URI")),
            _ => PorticoResponse.WriteErrorAsync(context, StatusCodes.Status404NotFound, "not_found", "No OIDC endpoint at this path."),
        };
    }

    /// <summary>The redirect URI of a virtual proxy: derived from the public host, never from the request.</summary>
    public static string RedirectUri(string publicHost, int httpsPort, VirtualProxy virtualProxy) =>
        HttpsRedirectTarget.Build(publicHost, httpsPort, new PathString(virtualProxy.PathBase + CallbackPath), QueryString.Empty);

    /// <summary>The binding cookie's name: one per virtual proxy, so nested prefixes never send two.</summary>
    public static string BindingCookieName(VirtualProxy virtualProxy) => "portico-oidc-" + (virtualProxy.Prefix.Length == 0 ? "_" : virtualProxy.Prefix);

    private OidcSettings? SettingsOf(VirtualProxy virtualProxy)
    {
        var snapshot = snapshots.Current;
        return _settings.GetValue(virtualProxy.Config, vp => new StrongBox<OidcSettings?>(
            OidcSettings.FromConfig(vp, snapshot.ResolvePath, Environment.GetEnvironmentVariable))).Value;
    }

    private async Task LoginAsync(HttpContext context, VirtualProxy virtualProxy, OidcSettings settings)
    {
        // Each login start stores a pending login: the same per-client budget as login targets.
        if (!clientLimits.TryStoreLoginTarget(context.Connection.RemoteIpAddress))
        {
            context.Response.Headers.RetryAfter = "60";
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "too_many_logins", "Too many logins started from this address; try again in a minute.");
            return;
        }

        if (await ConfigurationAsync(context, virtualProxy, settings, refresh: false) is not { } provider)
        {
            return;
        }

        // The browser keeps one binding value per virtual proxy, so logins in several tabs all stay valid.
        var cookieName = BindingCookieName(virtualProxy);
        var binding = context.Request.Cookies[cookieName] is { Length: 43 } existing && IsBase64Url(existing) ? existing : RandomValue();
        var state = RandomValue();
        var nonce = RandomValue();
        var verifier = RandomValue();
        var redirectUri = RedirectUri(snapshots.Current.Config.PublicHost, listeners.HttpsPort, virtualProxy);
        var target = await targets.ResolveAsync(context.Request.Query["targetId"].FirstOrDefault(), context.RequestAborted);
        var pending = new OidcPendingLogin(virtualProxy.Prefix, OidcCallbackCheck.Hash(binding), nonce, verifier, redirectUri, target, logins.Now + logins.Lifetime);
        if (!await logins.TryAddAsync(state, pending, context.RequestAborted))
        {
            context.Response.Headers.RetryAfter = "60";
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "too_many_logins", "Too many logins are under way; try again in a minute.");
            return;
        }

        var message = new OpenIdConnectMessage
        {
            IssuerAddress = provider.AuthorizationEndpoint,
            ClientId = settings.ClientId,
            RedirectUri = redirectUri,
            ResponseType = OpenIdConnectResponseType.Code,
            Scope = settings.Scope,
            State = state,
            Nonce = nonce,
        };
        message.SetParameter("code_challenge", Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
        message.SetParameter("code_challenge_method", "S256");

        context.Response.Headers.Append("Set-Cookie", BindingCookie(virtualProxy, cookieName, binding, context.Request.IsHttps));
        context.Response.Headers.CacheControl = "no-store";
        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = message.CreateAuthenticationRequestUrl();
    }

    private async Task CallbackAsync(HttpContext context, VirtualProxy virtualProxy, OidcSettings settings)
    {
        var query = context.Request.Query;
        var callback = new OidcCallback(Single(query, "state"), Single(query, "code"), Single(query, "error"), Single(query, "iss"));

        // The state is used up here, whatever follows.
        var pending = await logins.TakeAsync(callback.State, context.RequestAborted);
        if (await ConfigurationAsync(context, virtualProxy, settings, refresh: false) is not { } provider)
        {
            return;
        }

        var failure = OidcCallbackCheck.Judge(callback, pending, context.Request.Cookies[BindingCookieName(virtualProxy)], virtualProxy.Prefix, provider.Issuer);
        if (failure is null && !await logins.TryRecordCodeAsync(callback.Code!, context.RequestAborted))
        {
            failure = new OidcFailure(OidcRefusal.CodeReplayed, "this authorization code was already presented");
        }

        if (failure is not null)
        {
            await RefuseAsync(context, virtualProxy, failure);
            return;
        }

        var (idToken, exchangeFailure) = await ExchangeCodeAsync(settings, provider, callback.Code!, pending!, context.RequestAborted);
        if (exchangeFailure is not null)
        {
            await RefuseAsync(context, virtualProxy, exchangeFailure);
            return;
        }

        var validation = await ValidateAsync(context, virtualProxy, settings, provider, idToken!, pending!.Nonce);
        if (validation.Failure is { } tokenFailure)
        {
            await RefuseAsync(context, virtualProxy, tokenFailure);
            return;
        }

        OidcMapping mapping;
        using (var claims = validation.Claims!)
        {
            mapping = settings.Claims.Map(claims.RootElement, settings.Realm);
        }

        if (mapping.User is not { } user)
        {
            await RefuseAsync(context, virtualProxy, new OidcFailure(OidcRefusal.ClaimsInvalid, mapping.FailureReason!));
            return;
        }

        // A session like every other method's: fresh id, CSRF token, per-user limit, login audit.
        PorticoRequest.Of(context).Authentication = AuthenticationOutcome.LoginPending(new PendingLogin(user, CredentialKey: null, CredentialKind.Oidc));
        if (await loginSessions.EnsureAsync(context) is not { } session)
        {
            return;
        }

        await logoutHints.AddAsync(session.Id, idToken!, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.CacheControl = "no-store";
        // The code is in this URL: it must not leak through a Referer from the next page.
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        context.Response.Headers.Location = pending.Target?.AbsoluteUri
            ?? HttpsRedirectTarget.Build(snapshots.Current.Config.PublicHost, listeners.HttpsPort, new PathString(virtualProxy.PathBase + "/"), QueryString.Empty);
    }

    private async Task LogoutAsync(HttpContext context, VirtualProxy virtualProxy, OidcSettings settings)
    {
        string? idToken = null;
        if (PorticoRequest.Of(context).AuthenticationOutcome.Session is { } session)
        {
            idToken = await logoutHints.TakeAsync(session.Id, context.RequestAborted);
            await sessions.EndAsync(session.Id, SessionEndReason.Logout, context.RequestAborted);
        }

        context.Response.Headers.Remove("Set-Cookie");
        context.Response.Headers.Append("Set-Cookie", SessionCookie.Clear(virtualProxy.Config, context.Request.IsHttps));
        context.Response.Headers.CacheControl = "no-store";

        OpenIdConnectConfiguration? provider = null;
        try
        {
            provider = await providers.For(settings).GetConfigurationAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException or TaskCanceledException)
        {
            Log.ProviderUnavailable(logger, virtualProxy.DisplayName, ex.GetType().Name);
        }

        if (provider?.EndSessionEndpoint is not { Length: > 0 } endSession)
        {
            await context.Response.WriteAsJsonAsync(new { session = "ended" });
            return;
        }

        var message = new OpenIdConnectMessage
        {
            IssuerAddress = endSession,
            ClientId = settings.ClientId,
            IdTokenHint = idToken,
            PostLogoutRedirectUri = HttpsRedirectTarget.Build(snapshots.Current.Config.PublicHost, listeners.HttpsPort, new PathString(virtualProxy.PathBase + "/"), QueryString.Empty),
        };
        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = message.CreateLogoutRequestUrl();
    }

    private async Task<(string? IdToken, OidcFailure? Failure)> ExchangeCodeAsync(OidcSettings settings, OpenIdConnectConfiguration provider, string code, OidcPendingLogin pending, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(provider.TokenEndpoint))
        {
            return (null, new OidcFailure(OidcRefusal.DiscoveryFailed, "the provider publishes no token endpoint"));
        }

        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = pending.RedirectUri,
            ["code_verifier"] = pending.CodeVerifier,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, provider.TokenEndpoint);
        switch (OidcClientAuthenticationChoice.Choose(provider.TokenEndpointAuthMethodsSupported))
        {
            case OidcClientAuthentication.Basic:
                // RFC 6749 §2.3.1: both parts form-encoded before base64.
                var credentials = Uri.EscapeDataString(settings.ClientId) + ":" + Uri.EscapeDataString(settings.ClientSecret);
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
                break;
            case OidcClientAuthentication.Post:
                form["client_id"] = settings.ClientId;
                form["client_secret"] = settings.ClientSecret;
                break;
            default:
                return (null, new OidcFailure(OidcRefusal.TokenEndpointError, "the provider supports neither client_secret_basic nor client_secret_post"));
        }

        request.Content = new FormUrlEncodedContent(form);
        try
        {
            using var response = await providers.HttpClientFor(settings).SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            OpenIdConnectMessage message;
            try
            {
                message = new OpenIdConnectMessage(body);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Whatever the provider sent that is not a JSON token response is a refusal, never a crash.
                return (null, new OidcFailure(OidcRefusal.TokenEndpointError, $"the token endpoint answered {(int)response.StatusCode} without a JSON token response"));
            }

            if (!response.IsSuccessStatusCode || message.Error is not null)
            {
                return (null, new OidcFailure(OidcRefusal.TokenEndpointError, $"the token endpoint refused the code ({(int)response.StatusCode} {OidcCallbackCheck.SafeErrorCode(message.Error ?? "no error code")})"));
            }

            return (message.IdToken, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return (null, new OidcFailure(OidcRefusal.TokenEndpointError, "the token endpoint could not be reached (" + ex.GetType().Name + ")"));
        }
    }

    /// <summary>Validates the id_token; a kid the cached keys do not know refreshes them once (key rotation).</summary>
    private async Task<OidcTokenValidation> ValidateAsync(HttpContext context, VirtualProxy virtualProxy, OidcSettings settings, OpenIdConnectConfiguration provider, string idToken, string nonce)
    {
        OidcTokenExpectations Expectations(OpenIdConnectConfiguration p) => new()
        {
            Issuer = p.Issuer,
            ClientId = settings.ClientId,
            Nonce = nonce,
            SigningKeys = p.SigningKeys.ToList(),
            Now = logins.Now,
        };

        var validation = await OidcIdTokenValidator.ValidateAsync(idToken, Expectations(provider));
        if (!validation.UnknownKey)
        {
            return validation;
        }

        providers.For(settings).RequestRefresh();
        return await ConfigurationAsync(context, virtualProxy, settings, refresh: true) is { } refreshed
            ? await OidcIdTokenValidator.ValidateAsync(idToken, Expectations(refreshed))
            : validation;
    }

    /// <returns>Null when the provider's configuration is unusable; the refusal is then written.</returns>
    private async Task<OpenIdConnectConfiguration?> ConfigurationAsync(HttpContext context, VirtualProxy virtualProxy, OidcSettings settings, bool refresh)
    {
        OpenIdConnectConfiguration provider;
        try
        {
            provider = await providers.For(settings).GetConfigurationAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !context.RequestAborted.IsCancellationRequested)
        {
            if (!refresh)
            {
                await RefuseAsync(context, virtualProxy, new OidcFailure(OidcRefusal.DiscoveryFailed, "the provider's discovery document or keys could not be fetched (" + ex.GetType().Name + ")"), StatusCodes.Status502BadGateway);
            }

            return null;
        }

        if (string.IsNullOrEmpty(provider.Issuer) || !OidcProviders.IssuerMatchesEndpoint(provider.Issuer, settings.ConfigurationEndpoint)
            || string.IsNullOrEmpty(provider.AuthorizationEndpoint) || !provider.AuthorizationEndpoint.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrEmpty(provider.TokenEndpoint) || !provider.TokenEndpoint.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!refresh)
            {
                await RefuseAsync(context, virtualProxy, new OidcFailure(OidcRefusal.DiscoveryFailed, "the discovery document's issuer is not the URL it was fetched from, or its endpoints are not https"), StatusCodes.Status502BadGateway);
            }

            return null;
        }

        return provider;
    }

    private async Task RefuseAsync(HttpContext context, VirtualProxy virtualProxy, OidcFailure failure, int status = StatusCodes.Status400BadRequest)
    {
        // What any client can send without starting a login (a made-up state, a replay) is logged
        // at Debug, so a flood cannot fill the log; the audit log aggregates repeats either way.
        if (OidcRefusals.NeedsNoLoginStart(failure.Refusal))
        {
            Log.RefusedUnsolicited(logger, virtualProxy.DisplayName, failure.Code, failure.Detail);
        }
        else
        {
            Log.Refused(logger, virtualProxy.DisplayName, failure.Code, failure.Detail);
        }

        await audit.RecordAsync(AuditEvents.OidcRefused(context, virtualProxy.Prefix, failure.Code, failure.Detail));
        await PorticoResponse.WriteErrorAsync(context, status, "oidc_login_refused", $"The login through the identity provider was refused: {failure.Detail}. Start again from the application.", failure.Code);
    }

    private static string BindingCookie(VirtualProxy virtualProxy, string name, string value, bool isHttps) =>
        // Lax: the provider's redirect back is a top-level GET navigation from another site.
        $"{name}={value}; Path={virtualProxy.PathBase}/oidc/; Max-Age={(int)OidcLoginStore.DefaultLifetime.TotalSeconds}; HttpOnly; SameSite=Lax" + (isHttps ? "; Secure" : "");

    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    private static string RandomValue() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(RandomBytes));

    private static bool IsBase64Url(string value) => value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static partial class Log
    {
        [LoggerMessage(5101, LogLevel.Warning, "OIDC login refused on virtual proxy {VirtualProxy} ({Reason}): {Detail}.")]
        public static partial void Refused(ILogger logger, string virtualProxy, string reason, string detail);

        [LoggerMessage(5103, LogLevel.Debug, "OIDC callback refused on virtual proxy {VirtualProxy} ({Reason}): {Detail}.")]
        public static partial void RefusedUnsolicited(ILogger logger, string virtualProxy, string reason, string detail);

        [LoggerMessage(5102, LogLevel.Warning, "OIDC provider of virtual proxy {VirtualProxy} unavailable at logout ({Error}); the session ended here only.")]
        public static partial void ProviderUnavailable(ILogger logger, string virtualProxy, string error);
    }
}
