namespace Portico.Configuration;

/// <summary>
/// One virtual proxy. Field names follow Qlik's QRS <c>virtualproxyconfig</c> so that an admin who
/// knows the QMC recognises them.
/// </summary>
public sealed record VirtualProxyConfig
{
    /// <summary>Path prefix; empty for the default virtual proxy. Lowercase a-z 0-9 - . _ ~ as in Qlik.</summary>
    public string Prefix { get; init; } = "";

    public string Description { get; init; } = "";

    public string SessionCookieHeaderName { get; init; } = "X-Qlik-Session";

    public string? SessionCookieDomain { get; init; }

    /// <summary>Minutes of inactivity after which a session ends.</summary>
    public int SessionInactivityTimeout { get; init; } = 30;

    /// <summary>
    /// Seconds an engine connection (a WebSocket above all) may stay without any traffic before it is
    /// closed. Null: the session inactivity timeout, so a quiet socket lives as long as its session.
    /// Portico's addition.
    /// </summary>
    public int? EngineIdleTimeoutSeconds { get; init; }

    /// <summary>
    /// Seconds between WebSocket pings Portico sends to a client whose socket is quiet; the client's
    /// pong keeps the connection (and every middlebox on the way) from idling out, and a client that
    /// is gone stops answering. 0 turns pings off. Pings and pongs are not session activity.
    /// Portico's addition.
    /// </summary>
    public int WebSocketKeepAliveSeconds { get; init; } = 30;

    public AuthenticationMethod AuthenticationMethod { get; init; } = AuthenticationMethod.Ticket;

    public AnonymousAccessMode AnonymousAccessMode { get; init; } = AnonymousAccessMode.NoAnonymousUser;

    /// <summary>
    /// Qlik's "Authentication module redirect URI": where unauthenticated browsers are sent to log in
    /// (with <c>proxyRestUri</c> and <c>targetId</c>). Without it they get 401.
    /// </summary>
    public string? AuthenticationModuleRedirectUri { get; init; }

    public string? HeaderAuthenticationHeaderName { get; init; }

    public string? HeaderAuthenticationStaticUserDirectory { get; init; }

    public string? HeaderAuthenticationDynamicUserDirectory { get; init; }

    /// <summary>Networks (CIDR) whose requests may authenticate with the header; empty trusts every source. Portico's addition.</summary>
    public IReadOnlyList<string> HeaderAuthenticationTrustedNetworks { get; init; } = [];

    public string? JwtPublicKeyCertificate { get; init; }

    public string? JwtAttributeUserId { get; init; }

    public string? JwtAttributeUserDirectory { get; init; }

    public string? JwtAudience { get; init; }

    public string? JwtIssuer { get; init; }

    /// <summary>Qlik's "host allow list": origins trusted for cross-origin and WebSocket access.</summary>
    public IReadOnlyList<string> WebsocketCrossOriginWhiteList { get; init; } = [];

    /// <summary>Qlik's multi-line "Name: value" text, applied to every response of this virtual proxy.</summary>
    public string AdditionalResponseHeaders { get; init; } = "";

    /// <summary>Engine base URLs (http or https) this virtual proxy balances over.</summary>
    public IReadOnlyList<string> LoadBalancingServerNodes { get; init; } = [];

    /// <summary>This virtual proxy's engine connection; replaces the global <c>engineConnection</c> as a whole. Portico's addition.</summary>
    public EngineConnectionConfig? EngineConnection { get; init; }

    public CookieSameSite SameSiteAttributeHttps { get; init; } = CookieSameSite.Lax;

    public bool HasSecureAttributeHttps { get; init; } = true;

    /// <summary>
    /// Adds the Partitioned attribute (CHIPS) to the session cookie, so a mashup on another site
    /// keeps its cookie where browsers block third-party cookies. Portico's addition; needs Secure.
    /// </summary>
    public bool SessionCookiePartitioned { get; init; }

    /// <summary>Informational, as in the QRS: the virtual proxy that came with the installation.</summary>
    public bool DefaultVirtualProxy { get; init; }

    /// <summary>
    /// The QRS entity id (a GUID), written by the admin API; without it the API derives a stable id
    /// from the prefix (see docs/admin-api.md).
    /// </summary>
    public string? Id { get; init; }

    /// <summary>QRS bookkeeping, written by the admin API; not applied.</summary>
    public DateTimeOffset? CreatedDate { get; init; }

    /// <summary>QRS bookkeeping, written by the admin API: a PUT must carry it (stale → 409).</summary>
    public DateTimeOffset? ModifiedDate { get; init; }

    /// <summary>QRS bookkeeping, written by the admin API; not applied.</summary>
    public string? ModifiedByUserName { get; init; }

    /// <summary>
    /// Qlik fields Portico does not implement (SAML, Windows authentication, …), kept as a QRS client
    /// sent them so they are returned again, and never applied.
    /// </summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement>? QlikFieldsNotApplied { get; init; }
}

/// <summary>Qlik's <c>authenticationMethod</c> numbers.</summary>
public enum AuthenticationMethod
{
    Ticket = 0,
    HeaderStaticUserDirectory = 1,
    HeaderDynamicUserDirectory = 2,
    Jwt = 4,
}

/// <summary>Qlik's <c>anonymousAccessMode</c> numbers.</summary>
public enum AnonymousAccessMode
{
    NoAnonymousUser = 0,
    AllowAnonymous = 1,
    AlwaysAnonymous = 2,
}

/// <summary>Qlik's <c>sameSiteAttributeHttps</c> numbers.</summary>
public enum CookieSameSite
{
    NoAttribute = 0,
    None = 1,
    Lax = 2,
    Strict = 3,
}
