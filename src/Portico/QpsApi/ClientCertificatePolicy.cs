using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portico.QpsApi;

/// <summary>
/// Which TLS client certificates may call the QPS API (Qlik's ticket and session endpoints): those
/// whose thumbprint is listed, and those that chain to one of the configured certificate
/// authorities; either way only end-entity certificates made for client authentication. The
/// operating system's trust store plays no part: a certificate from a public CA proves who owns a
/// domain, not that its holder may log users in.
/// </summary>
internal sealed class ClientCertificatePolicy
{
    /// <summary>id-kp-clientAuth (RFC 5280 4.2.1.12).</summary>
    public const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    private readonly X509Certificate2Collection _authorities;
    private readonly HashSet<string> _thumbprints;

    /// <param name="trustedAuthorities">CA certificates a client certificate may chain to; may be empty.</param>
    /// <param name="trustedThumbprints">SHA-256 (64 hex digits) or SHA-1 (40, as Qlik lists them) thumbprints; case, spaces and colons ignored.</param>
    /// <exception cref="ArgumentException">A thumbprint is not 40 or 64 hex digits.</exception>
    public ClientCertificatePolicy(X509Certificate2Collection? trustedAuthorities, IEnumerable<string>? trustedThumbprints)
    {
        // A copy, so a caller that later changes its collection cannot widen the trust of this policy.
        _authorities = [.. trustedAuthorities ?? []];
        _thumbprints = new HashSet<string>(StringComparer.Ordinal);
        foreach (var thumbprint in trustedThumbprints ?? [])
        {
            _thumbprints.Add(NormalizeThumbprint(thumbprint)
                ?? throw new ArgumentException($"\"{thumbprint}\" is not a SHA-256 (64 hex digits) or SHA-1 (40 hex digits) thumbprint.", nameof(trustedThumbprints)));
        }
    }

    /// <summary>
    /// Uppercase hex without separators, or null when <paramref name="thumbprint"/> is not 40 or 64
    /// hex digits. Whitespace and colons are dropped, as are the invisible direction marks that
    /// Windows' certificate dialog puts in front of a thumbprint copied from it.
    /// </summary>
    public static string? NormalizeThumbprint(string? thumbprint)
    {
        if (thumbprint is null)
        {
            return null;
        }

        var kept = new System.Text.StringBuilder(thumbprint.Length);
        foreach (var c in thumbprint)
        {
            if (char.IsWhiteSpace(c) || c is ':' or '\u200E' or '\u200F' or '\uFEFF')
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c))
            {
                return null;
            }

            kept.Append(char.ToUpperInvariant(c));
        }

        return kept.Length is 40 or 64 ? kept.ToString() : null;
    }

    public ClientCertificateDecision Evaluate(X509Certificate2? certificate, DateTimeOffset now)
    {
        if (certificate is null)
        {
            return ClientCertificateDecision.Deny("no client certificate");
        }

        try
        {
            return EvaluateCore(certificate, now);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or InvalidOperationException or PlatformNotSupportedException)
        {
            // Fail closed: a certificate that cannot be examined is not trusted.
            return ClientCertificateDecision.Deny("client certificate could not be evaluated: " + ex.GetType().Name);
        }
    }

    private ClientCertificateDecision EvaluateCore(X509Certificate2 certificate, DateTimeOffset now)
    {
        // 1. Validity period, checked here too so that a listed thumbprint does not outlive its certificate.
        var utcNow = now.UtcDateTime;
        if (utcNow < certificate.NotBefore.ToUniversalTime())
        {
            return ClientCertificateDecision.Deny("client certificate is not yet valid");
        }

        if (utcNow > certificate.NotAfter.ToUniversalTime())
        {
            return ClientCertificateDecision.Deny("client certificate has expired");
        }

        // 2. A certificate authority's certificate signs certificates; it is not a client's. A
        //    trusted CA (the development CA, say) would otherwise chain to itself and pass.
        if (IsCertificateAuthority(certificate))
        {
            return ClientCertificateDecision.Deny("client certificate is a certificate authority's (basic constraints cA=true)");
        }

        // 3. Purpose (RFC 5280 4.2.1.12): the certificate must name client authentication among its
        //    extended key usages. RFC 5280 lets a certificate without the extension serve any purpose,
        //    but CA certificates and certificates made for other uses typically lack it.
        if (!AllowsClientAuthentication(certificate))
        {
            return ClientCertificateDecision.Deny("client certificate is not valid for client authentication (its extended key usage must include 1.3.6.1.5.5.7.3.2)");
        }

        // 4. An explicitly listed certificate needs no chain; this is how self-signed ones are trusted.
        if (_thumbprints.Contains(certificate.GetCertHashString(HashAlgorithmName.SHA256))
            || _thumbprints.Contains(certificate.GetCertHashString(HashAlgorithmName.SHA1)))
        {
            return ClientCertificateDecision.Allow("thumbprint is listed");
        }

        if (_authorities.Count == 0)
        {
            return ClientCertificateDecision.Deny("client certificate is not trusted (thumbprint not listed, no certificate authorities configured)");
        }

        // 5. Chain to a configured CA only, at the given time, offline.
        using var chain = new X509Chain();
        try
        {
            var policy = chain.ChainPolicy;
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(_authorities);
            policy.RevocationMode = X509RevocationMode.NoCheck;
            policy.DisableCertificateDownloads = true;
            policy.VerificationTime = utcNow;
            policy.VerificationTimeIgnored = false;
            policy.ApplicationPolicy.Add(new Oid(ClientAuthenticationOid));

            if (chain.Build(certificate))
            {
                return ClientCertificateDecision.Allow("chains to a trusted certificate authority");
            }

            var problems = chain.ChainStatus
                .Select(status => status.Status)
                .Where(status => status != X509ChainStatusFlags.NoError)
                .Distinct()
                .Select(status => status.ToString());
            return ClientCertificateDecision.Deny(
                string.Format(CultureInfo.InvariantCulture, "client certificate does not chain to a trusted certificate authority ({0})", string.Join(", ", problems)));
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                // The chain hands out its own copies; the caller's certificate and the configured
                // authorities stay usable.
                if (!ReferenceEquals(element.Certificate, certificate) && !_authorities.Any(authority => ReferenceEquals(authority, element.Certificate)))
                {
                    element.Certificate.Dispose();
                }
            }
        }
    }

    private static bool IsCertificateAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(constraints => constraints.CertificateAuthority);

    private static bool AllowsClientAuthentication(X509Certificate2 certificate)
    {
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().ToList();
        return usages.Count > 0
            && usages.All(usage => usage.EnhancedKeyUsages.Cast<Oid>().Any(oid => oid.Value == ClientAuthenticationOid));
    }
}
