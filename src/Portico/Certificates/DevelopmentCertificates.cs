using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portico.Certificates;

/// <summary>
/// A local certificate authority and a server certificate it signed, generated once into the data
/// directory when no certificate is configured. Clients trust the CA file (ws's <c>ca</c> option,
/// curl's <c>--cacert</c>) instead of turning verification off.
/// </summary>
internal sealed class DevelopmentCertificates
{
    public const string CaFileName = "portico-dev-ca.pem";
    public const string CaKeyFileName = "portico-dev-ca-key.pem";
    private const string ServerFileName = "portico-dev-server.pem";
    private const string ServerKeyFileName = "portico-dev-server-key.pem";
    public const string ClientFileName = "portico-dev-client.pem";
    public const string ClientKeyFileName = "portico-dev-client-key.pem";

    private DevelopmentCertificates(string caPath, string serverPath, string serverKeyPath, bool created)
    {
        CaPath = caPath;
        ServerCertificatePath = serverPath;
        ServerKeyPath = serverKeyPath;
        Created = created;
    }

    public string CaPath { get; }

    public string ServerCertificatePath { get; }

    public string ServerKeyPath { get; }

    /// <summary>True when this call generated the files (false when they already existed).</summary>
    public bool Created { get; }

    /// <param name="extraHostNames">Names beyond localhost, 127.0.0.1 and ::1 (the configured public host).</param>
    public static DevelopmentCertificates LoadOrCreate(string dataDirectory, IEnumerable<string> extraHostNames, TimeProvider time)
    {
        Directory.CreateDirectory(dataDirectory);
        var caPath = Path.Combine(dataDirectory, CaFileName);
        var caKeyPath = Path.Combine(dataDirectory, CaKeyFileName);
        var serverPath = Path.Combine(dataDirectory, ServerFileName);
        var serverKeyPath = Path.Combine(dataDirectory, ServerKeyFileName);
        var clientPath = Path.Combine(dataDirectory, ClientFileName);
        var clientKeyPath = Path.Combine(dataDirectory, ClientKeyFileName);
        if (File.Exists(caPath) && File.Exists(serverPath) && File.Exists(serverKeyPath) && File.Exists(clientPath) && File.Exists(clientKeyPath))
        {
            return new DevelopmentCertificates(caPath, serverPath, serverKeyPath, created: false);
        }

        var now = time.GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Portico Development CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        foreach (var host in extraHostNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host, out var ip))
            {
                names.AddIpAddress(ip);
            }
            else if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                names.AddDnsName(host);
            }
        }

        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        // Browsers cap server certificates at 398 days.
        using var server = serverRequest.Create(ca, now.AddDays(-1), now.AddDays(397), RandomNumberGenerator.GetBytes(16));

        // A client certificate for the QPS API's mutual TLS, so the demo's ticket API can be tried at once.
        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest("CN=Portico Development Client", clientKey, HashAlgorithmName.SHA256);
        clientRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        clientRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        clientRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var client = clientRequest.Create(ca, now.AddDays(-1), now.AddDays(397), RandomNumberGenerator.GetBytes(16));
        WritePrivate(clientKeyPath, clientKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(clientPath, client.ExportCertificatePem());

        WritePrivate(caKeyPath, caKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(caPath, ca.ExportCertificatePem());
        WritePrivate(serverKeyPath, serverKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(serverPath, server.ExportCertificatePem());
        return new DevelopmentCertificates(caPath, serverPath, serverKeyPath, created: true);
    }

    private static void WritePrivate(string path, string pem)
    {
        File.WriteAllText(path, pem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
