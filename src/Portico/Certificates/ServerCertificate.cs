using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portico.Configuration;

namespace Portico.Certificates;

/// <summary>The certificate the HTTPS listeners present: the configured PEM pair, or the generated development one.</summary>
internal static class ServerCertificate
{
    public static X509Certificate2 Load(ConfigSnapshot snapshot, TimeProvider time, out DevelopmentCertificates? development)
    {
        var config = snapshot.Config;
        development = null;
        if (config.Certificate is { } configured)
        {
            return LoadPem(snapshot.ResolvePath(configured.CertificatePath), snapshot.ResolvePath(configured.KeyPath));
        }

        var publicHostName = config.PublicHost.Split(':')[0];
        development = DevelopmentCertificates.LoadOrCreate(snapshot.ResolvePath(config.DataDirectory), [publicHostName], time);
        return LoadPem(development.ServerCertificatePath, development.ServerKeyPath);
    }

    public static string Fingerprint(X509Certificate2 certificate) =>
        Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));

    private static X509Certificate2 LoadPem(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        // Round-trip through PKCS#12 so the key is usable by TLS on every platform, not only Linux.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }
}
