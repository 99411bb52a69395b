namespace Portico.Configuration;

/// <summary>
/// How Portico connects to engine nodes and proves to them that it is the proxy: TLS toward
/// https:// nodes (Qlik Sense Enterprise's client certificate, the engine's CA or a pinned
/// certificate) and how each request names the user (Qlik's X-Qlik-User header, or a signed JWT as
/// Qlik Core expects). Set once for all virtual proxies (<c>engineConnection</c>) or per virtual
/// proxy, where it replaces the global one as a whole. See docs/engines.md.
/// </summary>
public sealed record EngineConnectionConfig
{
    /// <summary>PEM certificate Portico presents to engines (Qlik's exported <c>client.pem</c>).</summary>
    public string? ClientCertificatePath { get; init; }

    /// <summary>PEM private key of the client certificate (Qlik's <c>client_key.pem</c>; PKCS#1 or PKCS#8, unencrypted).</summary>
    public string? ClientKeyPath { get; init; }

    /// <summary>PEM CA certificate(s) engine certificates must chain to (Qlik's exported <c>root.pem</c>).</summary>
    public string? TrustedRootPath { get; init; }

    /// <summary>SHA-256 thumbprints (hex) of engine certificates accepted as they are.</summary>
    public IReadOnlyList<string> TrustedServerThumbprints { get; init; } = [];

    /// <summary>
    /// Accepts any engine certificate, so anyone on the path to an engine can read and change its
    /// traffic. For a first test only; a warning is logged at start-up and on every reload.
    /// </summary>
    public bool DangerouslyAcceptAnyServerCertificate { get; init; }

    /// <summary>How the engine learns the user: <c>header</c> (X-Qlik-User only) or <c>jwt</c> (also a signed bearer token).</summary>
    public EngineAuthentication Authentication { get; init; } = EngineAuthentication.Header;

    /// <summary>The token Portico signs in <c>jwt</c> mode.</summary>
    public EngineJwtConfig? Jwt { get; init; }

    /// <summary>True when anything about TLS is configured, which only an https:// node can use.</summary>
    internal bool HasTlsSettings =>
        ClientCertificatePath is not null || ClientKeyPath is not null || TrustedRootPath is not null
        || TrustedServerThumbprints.Count > 0 || DangerouslyAcceptAnyServerCertificate;
}

/// <summary>How an engine is told who the user is.</summary>
public enum EngineAuthentication
{
    /// <summary>X-Qlik-User and X-Qlik-Security, trusted by the engine because of the connection (Qlik Sense Enterprise).</summary>
    Header = 0,

    /// <summary>Additionally a short-lived JWT in Authorization: Bearer, signed by Portico (Qlik Core).</summary>
    Jwt = 1,
}

/// <summary>The JWT Portico signs for engines in <c>jwt</c> mode.</summary>
public sealed record EngineJwtConfig
{
    /// <summary>PEM private key (RSA ≥ 2048 bits or EC P-256/P-384/P-521); the engine holds the public half.</summary>
    public string? PrivateKeyPath { get; init; }

    /// <summary>RS256, RS384, RS512 for RSA keys; ES256, ES384, ES512 for the matching EC curve. Null: RS256 or the curve's ES algorithm.</summary>
    public string? Algorithm { get; init; }

    /// <summary>Token lifetime; a token is reused for at most half of it.</summary>
    public int LifetimeSeconds { get; init; } = 300;

    /// <summary>Optional <c>iss</c> claim.</summary>
    public string? Issuer { get; init; }

    /// <summary>Optional <c>aud</c> claim.</summary>
    public string? Audience { get; init; }

    /// <summary>The user attribute (from a ticket, session or JWT login) whose values become the <c>groups</c> claim.</summary>
    public string GroupsAttribute { get; init; } = "group";

    /// <summary>
    /// What <c>sub</c> holds: <c>userId</c> (the default; the directory goes in the <c>userDirectory</c>
    /// claim) or <c>directoryAndUserId</c> (<c>DIRECTORY\userId</c>, for engines that key rules on
    /// <c>sub</c> alone and serve users of several directories).
    /// </summary>
    public EngineJwtSubject Subject { get; init; } = EngineJwtSubject.UserId;
}

/// <summary>What the engine token's <c>sub</c> claim holds.</summary>
public enum EngineJwtSubject
{
    UserId = 0,
    DirectoryAndUserId = 1,
}
