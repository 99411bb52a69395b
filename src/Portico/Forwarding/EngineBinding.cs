using System.Runtime.CompilerServices;
using Portico.Authentication;
using Portico.Configuration;

namespace Portico.Forwarding;

/// <summary>
/// Everything about one virtual proxy's engine connections that a configuration snapshot fixes:
/// the header values that never change between requests (built once here, not per request), the
/// TLS material, and the token issuer in <c>jwt</c> mode. See docs/engines.md.
/// </summary>
internal sealed class EngineBinding
{
    private readonly ConditionalWeakTable<AuthenticatedUser, string> _securityHeaders = new();

    public EngineBinding(Guid proxyId, string prefix, EngineTls tls, EngineAuthentication authentication, EngineTokenIssuer? tokens)
    {
        ProxyIdHeader = IdentityHeaders.FormatProxyId(proxyId, prefix);
        PrefixHeader = prefix;
        Tls = tls;
        Authentication = authentication;
        Tokens = tokens;
    }

    /// <summary>The X-Qlik-ProxyId value.</summary>
    public string ProxyIdHeader { get; }

    /// <summary>The X-Qlik-Virtual-Proxy-Prefix value (empty for the default virtual proxy, and sent so).</summary>
    public string PrefixHeader { get; }

    public EngineTls Tls { get; }

    public EngineAuthentication Authentication { get; }

    /// <summary>Signs engine tokens in <c>jwt</c> mode; null when the key could not be loaded, and then no token is sent (the engine refuses).</summary>
    public EngineTokenIssuer? Tokens { get; }

    /// <summary>The X-Qlik-Security value for <paramref name="user"/>: a constant without attributes, else formatted once per user object (so once per session).</summary>
    public string SecurityFor(AuthenticatedUser user, bool secureRequest)
    {
        if (user.Attributes.Count == 0)
        {
            return secureRequest ? IdentityHeaders.SecureBase : IdentityHeaders.PlainBase;
        }

        // Engine requests arrive on the HTTPS listener; a plain one is not worth a cache entry.
        return secureRequest
            ? _securityHeaders.GetValue(user, static u => IdentityHeaders.FormatSecurity(true, u.Attributes))
            : IdentityHeaders.FormatSecurity(false, user.Attributes);
    }

    /// <summary>
    /// Loads what <paramref name="connection"/> names: its TLS material and, in <c>jwt</c> mode, the
    /// signing key. Done once per connection setting and snapshot, shared by the virtual proxies that use it.
    /// </summary>
    /// <param name="problems">Receives why loaded material is unusable (files changed since validation).</param>
    public static (EngineTls Tls, EngineTokenIssuer? Tokens) Load(EngineConnectionConfig connection, Func<string, string> resolvePath, List<string> problems)
    {
        var tls = connection.HasTlsSettings ? LoadTls(connection, resolvePath, problems) : EngineTls.Default;
        EngineTokenIssuer? tokens = null;
        if (connection.Authentication == EngineAuthentication.Jwt && connection.Jwt is { PrivateKeyPath: { } keyPath } jwt)
        {
            try
            {
                var key = EngineSigningKey.TryParse(File.ReadAllText(resolvePath(keyPath)), jwt.Algorithm, out var error);
                tokens = key is null ? null : new EngineTokenIssuer(key, jwt);
                if (error is not null)
                {
                    problems.Add("jwt.privateKeyPath " + error);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                problems.Add("jwt.privateKeyPath cannot be read: " + ex.Message);
            }
        }
        else if (connection.Authentication == EngineAuthentication.Jwt)
        {
            problems.Add("jwt.privateKeyPath is missing");
        }

        return (tls, tokens);
    }

    private static EngineTls LoadTls(EngineConnectionConfig connection, Func<string, string> resolvePath, List<string> problems)
    {
        var found = new List<EngineCredentialProblem>();
        var client = connection.ClientCertificatePath is { } certificatePath && connection.ClientKeyPath is { } keyPath
            ? EngineCredentials.LoadClientCertificate(resolvePath(certificatePath), resolvePath(keyPath), now: null, found)
            : null;
        var roots = connection.TrustedRootPath is { } rootPath ? EngineCredentials.LoadRoots(resolvePath(rootPath), found) : null;
        var pins = connection.TrustedServerThumbprints.Select(EngineCredentials.NormalizeSha256Thumbprint).OfType<string>().ToList();
        problems.AddRange(found.Select(p => $"{p.Field} {p.Message}"));
        return new EngineTls(client, roots, pins, connection.DangerouslyAcceptAnyServerCertificate, unusable: found.Count > 0);
    }
}
