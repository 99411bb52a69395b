using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portico.TestSupport;

/// <summary>A CA and a "localhost" server certificate for the test providers, as PEM files; deleted on dispose.</summary>
public sealed class OidcTestPki : IDisposable
{
    public OidcTestPki()
    {
        Directory = Path.Combine(Path.GetTempPath(), "portico-tests", "oidc-pki-" + Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(Directory);
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Portico OIDC test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        using var serverKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(Ca, now.AddDays(-1), now.AddYears(1), RandomNumberGenerator.GetBytes(16));
        Server = X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pkcs12), null);

        CaPath = Path.Combine(Directory, "oidc-ca.pem");
        File.WriteAllText(CaPath, Ca.ExportCertificatePem());
        ServerCertificatePath = Path.Combine(Directory, "oidc-server.pem");
        File.WriteAllText(ServerCertificatePath, issued.ExportCertificatePem());
        ServerKeyPath = Path.Combine(Directory, "oidc-server-key.pem");
        File.WriteAllText(ServerKeyPath, serverKey.ExportPkcs8PrivateKeyPem());
    }

    public string Directory { get; }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    public string CaPath { get; }

    public string ServerCertificatePath { get; }

    public string ServerKeyPath { get; }

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
