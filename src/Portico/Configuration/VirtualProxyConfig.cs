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

    /// <summary>SAML (method 3): the identity provider's metadata XML (entityID, SSO and SLO services, signing certificates).</summary>
    public string? SamlMetadataIdP { get; init; }

    /// <summary>SAML: the public address users reach Portico at, e.g. https://qlik.example.com; the ACS URL is built on it.</summary>
    public string? SamlHostUri { get; init; }

    /// <summary>SAML: this service provider's entity id, unique at the identity provider.</summary>
    public string? SamlEntityId { get; init; }

    /// <summary>SAML: the attribute (name or friendly name) holding the user id; empty takes the assertion's NameID (Portico's addition).</summary>
    public string? SamlAttributeUserId { get; init; }

    /// <summary>SAML: the attribute holding the user directory, or a fixed directory in brackets, e.g. "[CORP]".</summary>
    public string? SamlAttributeUserDirectory { get; init; }

    /// <summary>SAML: the weakest hash accepted in the identity provider's signatures (Qlik's 0 SHA1, 1 SHA256).</summary>
    public SamlSigningAlgorithm SamlAttributeSigningAlgorithm { get; init; } = SamlSigningAlgorithm.Sha256;

    /// <summary>SAML: assertion attributes passed on as Qlik attributes.</summary>
    public IReadOnlyList<SamlAttributeMapping> SamlAttributeMap { get; init; } = [];

    /// <summary>SAML: logout also ends the session at the identity provider (single logout).</summary>
    public bool SamlSlo { get; init; }

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
    /// <summary>OIDC (method 5): the provider's discovery document, https://…/.well-known/openid-configuration.</summary>
    public string? OidcConfigurationEndpointUri { get; init; }

    public string? OidcClientId { get; init; }

    /// <summary>The client secret in the JSON itself; prefer <see cref="OidcClientSecretFile"/> or <see cref="OidcClientSecretEnv"/>. Exactly one of the three.</summary>
    public string? OidcClientSecret { get; init; }

    /// <summary>A file whose content (trimmed) is the client secret. Portico's addition.</summary>
    public string? OidcClientSecretFile { get; init; }

    /// <summary>An environment variable that holds the client secret. Portico's addition.</summary>
    public string? OidcClientSecretEnv { get; init; }

    /// <summary>The user directory every OIDC user of this virtual proxy belongs to.</summary>
    public string? OidcRealm { get; init; }

    public string OidcAttributeSub { get; init; } = "sub";

    public string OidcAttributeName { get; init; } = "name";

    public string OidcAttributeGroups { get; init; } = "groups";

    public string OidcAttributeEmail { get; init; } = "email";

    public string OidcAttributeClientId { get; init; } = "client_id";

    public string OidcAttributePicture { get; init; } = "picture";

    /// <summary>Space-separated scopes asked for; "openid" is always included.</summary>
    public string OidcScope { get; init; } = "openid profile email";

    /// <summary>Further claims copied into the user's attributes, in Qlik's shape.</summary>
    public IReadOnlyList<OidcAttributeMapItem> OidcAttributeMap { get; init; } = [];

    /// <summary>
    /// A PEM file of the CA certificates the provider's TLS certificate must chain to (a private
    /// PKI); without it the system's trust store decides. Portico's addition.
    /// </summary>
    public string? OidcTrustedCaFile { get; init; }
}

/// <summary>Qlik's <c>authenticationMethod</c> numbers.</summary>
public enum AuthenticationMethod
{
    Ticket = 0,
    HeaderStaticUserDirectory = 1,
    HeaderDynamicUserDirectory = 2,
    Saml = 3,
    Jwt = 4,
    Oidc = 5,
}

/// <summary>One entry of Qlik's <c>oidcAttributeMap</c>: a claim of the id_token copied into a user attribute.</summary>
public sealed record OidcAttributeMapItem
{
    public string OidcAttribute { get; init; } = "";

    public string SenseAttribute { get; init; } = "";

    /// <summary>When true, a login whose id_token lacks the claim is refused.</summary>
    public bool IsMandatory { get; init; }
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

/// <summary>Qlik's <c>samlAttributeSigningAlgorithm</c> numbers.</summary>
public enum SamlSigningAlgorithm
{
    Sha1 = 0,
    Sha256 = 1,
}

/// <summary>One entry of Qlik's <c>samlAttributeMap</c>: an assertion attribute passed on under a Qlik attribute name.</summary>
public sealed record SamlAttributeMapping
{
    /// <summary>The attribute's Name or FriendlyName in the assertion.</summary>
    public string SamlAttribute { get; init; } = "";

    /// <summary>The attribute name the engine sees in X-Qlik-Security.</summary>
    public string SenseAttribute { get; init; } = "";

    /// <summary>A login whose assertion lacks this attribute is refused.</summary>
    public bool IsMandatory { get; init; }
}
