using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Portico.Authentication.Oidc;

/// <summary>
/// The providers' discovery documents and signing keys, fetched over HTTPS only and cached by
/// IdentityModel's <see cref="ConfigurationManager{T}"/> (refreshed daily, and on demand when an
/// id_token names a key it does not know, at most once per <see cref="MinimumRefreshInterval"/>).
/// One manager per (discovery URL, trusted CA file): only configuration adds entries, and a reload
/// that keeps the provider keeps its cache.
/// </summary>
internal sealed class OidcProviders : IDisposable
{
    public static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>Discovery documents and key sets are a few KB; a provider cannot make Portico buffer more.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    private readonly ConcurrentDictionary<(string Endpoint, string? CaFile), Provider> _providers = new();

    static OidcProviders()
    {
        // IdentityModel's documented switch: after RequestRefresh (an unknown kid), the next
        // GetConfigurationAsync fetches the keys before it returns, instead of in the background
        // while the stale keys refuse the login of a provider that just rotated its key. Set
        // before any manager exists; the rate limit (RefreshInterval) still applies.
        AppContext.SetSwitch("Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking", true);
    }

    public ConfigurationManager<OpenIdConnectConfiguration> For(OidcSettings settings) =>
        _providers.GetOrAdd((settings.ConfigurationEndpoint, settings.TrustedCaFile), key => Create(key.Endpoint, key.CaFile)).Manager;

    /// <summary>The HTTP client of a provider, for its token endpoint: same TLS trust as its discovery.</summary>
    public HttpClient HttpClientFor(OidcSettings settings) =>
        _providers.GetOrAdd((settings.ConfigurationEndpoint, settings.TrustedCaFile), key => Create(key.Endpoint, key.CaFile)).Http;

    /// <summary>OpenID Connect Discovery §4.3: the document's issuer must be the URL it was fetched from, minus the well-known suffix.</summary>
    public static bool IssuerMatchesEndpoint(string issuer, string configurationEndpoint)
    {
        const string suffix = "/.well-known/openid-configuration";
        if (!configurationEndpoint.EndsWith(suffix, StringComparison.Ordinal))
        {
            // A non-standard location: nothing to compare with; the issuer is then taken as published.
            return true;
        }

        return string.Equals(issuer.TrimEnd('/'), configurationEndpoint[..^suffix.Length].TrimEnd('/'), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var provider in _providers.Values)
        {
            provider.Http.Dispose();
        }
    }

    private static Provider Create(string endpoint, string? caFile)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        if (caFile is not null)
        {
            var roots = LoadRoots(caFile);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(roots, certificate, errors),
            };
        }

        var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15), MaxResponseContentBufferSize = MaxDocumentBytes };
        var manager = new ConfigurationManager<OpenIdConnectConfiguration>(endpoint, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever(http) { RequireHttps = true })
        {
            RefreshInterval = MinimumRefreshInterval,
        };
        return new Provider(manager, http);
    }

    private static X509Certificate2Collection LoadRoots(string caFile)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            // Validation checked the file; one that became unreadable since trusts nothing (fail closed).
        }

        return roots;
    }

    /// <summary>The host name must match and the chain must end at one of the configured roots, and only those.</summary>
    private static bool ChainsTo(X509Certificate2Collection roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || roots.Count == 0 || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    private sealed record Provider(ConfigurationManager<OpenIdConnectConfiguration> Manager, HttpClient Http);
}
