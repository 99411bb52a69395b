using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Portico.Tests.Support;

/// <summary>Verifies server certificates against one CA file, as a client configured with that CA would.</summary>
public static class TlsTrust
{
    public static RemoteCertificateValidationCallback For(string caPath)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(caPath);
        return (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
    }

    public static HttpClient HttpClient(string caPath, bool allowRedirects = false, CookieContainerHolder? cookies = null) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = allowRedirects,
            UseCookies = cookies is not null,
            CookieContainer = cookies?.Container ?? new System.Net.CookieContainer(),
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = For(caPath) },
            PooledConnectionLifetime = TimeSpan.FromSeconds(5),
        })
        { Timeout = TimeSpan.FromSeconds(20) };
}

public sealed class CookieContainerHolder
{
    public System.Net.CookieContainer Container { get; } = new();
}
