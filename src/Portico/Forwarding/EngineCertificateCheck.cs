using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Portico.Forwarding;

/// <summary>
/// Decides whether Portico talks to an engine that presented <c>certificate</c>. The user's
/// identity is sent on this connection, so anything not positively trusted is refused:
/// <list type="number">
/// <item>the admin wrote <c>dangerouslyAcceptAnyServerCertificate</c>: accepted (warned about at every load);</item>
/// <item>the configuration could not be loaded, or no certificate was presented: refused;</item>
/// <item>pinned thumbprints configured: the certificate's SHA-256 thumbprint must be one of them;</item>
/// <item>a trusted root configured: the certificate must chain to it (revocation is not checked:
///   Qlik's internal CA publishes no revocation list) and name the node's host;</item>
/// <item>neither: the system's own validation must have found no error.</item>
/// </list>
/// With both a pin and a root, both must hold.
/// </summary>
internal static class EngineCertificateCheck
{
    /// <returns>Null when the engine is trusted; otherwise why not, for the log.</returns>
    public static string? Refusal(EngineTls tls, X509Certificate2? certificate, X509Chain? presentedChain, SslPolicyErrors errors)
    {
        if (tls.AcceptAnyServerCertificate && !tls.Unusable)
        {
            return null;
        }

        if (tls.Unusable)
        {
            return "the engine connection's certificate files could not be loaded; fix them and reload";
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the engine presented no certificate";
        }

        var pinned = tls.PinnedThumbprints.Count > 0;
        if (pinned && !tls.PinnedThumbprints.Contains(EngineCredentials.Sha256Thumbprint(certificate)))
        {
            return $"the engine's certificate (SHA-256 {EngineCredentials.Sha256Thumbprint(certificate)}) is not in trustedServerThumbprints";
        }

        if (tls.TrustedRoots is { } roots)
        {
            if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                return $"the engine's certificate ({certificate.Subject}) does not name the node's host";
            }

            return ChainsTo(roots, certificate, presentedChain);
        }

        if (pinned)
        {
            return null;
        }

        return errors == SslPolicyErrors.None ? null : $"the engine's certificate is not trusted by the system ({errors}); set trustedRootPath to Qlik's root.pem";
    }

    private static string? ChainsTo(X509Certificate2Collection roots, X509Certificate2 certificate, X509Chain? presentedChain)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presentedChain is not null)
        {
            // Intermediates the engine sent along with its certificate.
            foreach (var element in presentedChain.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (chain.Build(certificate))
        {
            return null;
        }

        var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());
        return $"the engine's certificate ({certificate.Subject}) does not chain to trustedRootPath ({status})";
    }
}
