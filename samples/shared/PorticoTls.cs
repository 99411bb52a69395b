using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Portico.Samples;

/// <summary>How the back end trusts Portico's server certificate: exactly the configured CA (and still the host name), never "verification off".</summary>
internal static class PorticoTls
{
    /// <summary>
    /// Sets <paramref name="handler"/> to trust <see cref="SampleOptions.PorticoCaPath"/>, when there is
    /// one; read at the first connection, since Portico may create it after this back end started.
    /// </summary>
    public static void TrustPorticoCa(SocketsHttpHandler handler, SampleOptions options)
    {
        if (options.PorticoCaPath is { } caPath)
        {
            var ca = new Lazy<X509Certificate2>(() => X509CertificateLoader.LoadCertificateFromFile(caPath));
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(ca.Value, certificate, errors);
        }
    }

    private static bool ChainsTo(X509Certificate2 ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }
}
