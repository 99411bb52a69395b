using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portico.Tests.Support;

/// <summary>
/// A Qlik-Sense-like PKI written as PEM files in a temporary folder, in the layout Qlik exports
/// (root.pem, client.pem, client_key.pem as PKCS#1 "RSA PRIVATE KEY", RSA 2048, SHA-256), plus the
/// engine's server certificate, an impostor PKI, and JWT signing keys. Deleted on dispose.
/// </summary>
public sealed class QlikCertificateFiles : IDisposable
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    private readonly List<IDisposable> _owned = [];

    public QlikCertificateFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "portico-tests", "qlik-certs-" + Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(Directory);
        var now = DateTimeOffset.UtcNow;

        Root = Authority("CN=qlik.example.test-CA", out var rootKey);
        RootPath = Write("root.pem", Root.ExportCertificatePem());
        Server = Leaf(Root, rootKey, "CN=localhost", ServerAuth, now.AddDays(-1), now.AddYears(1), serverNames: true, out _);
        var client = Leaf(Root, rootKey, "CN=QlikClient", ClientAuth, now.AddDays(-1), now.AddYears(1), serverNames: false, out var clientKey);
        ClientCertificatePath = Write("client.pem", client.ExportCertificatePem());
        ClientKeyPath = Write("client_key.pem", clientKey.ExportRSAPrivateKeyPem());
        ClientPkcs8KeyPath = Write("client_key_pkcs8.pem", clientKey.ExportPkcs8PrivateKeyPem());

        var expired = Leaf(Root, rootKey, "CN=QlikClient", ClientAuth, now.AddYears(-2), now.AddDays(-1), serverNames: false, out var expiredKey);
        ExpiredClientPath = Write("expired_client.pem", expired.ExportCertificatePem());
        ExpiredClientKeyPath = Write("expired_client_key.pem", expiredKey.ExportRSAPrivateKeyPem());
        var future = Leaf(Root, rootKey, "CN=QlikClient", ClientAuth, now.AddDays(1), now.AddYears(1), serverNames: false, out var futureKey);
        NotYetValidClientPath = Write("future_client.pem", future.ExportCertificatePem());
        NotYetValidClientKeyPath = Write("future_client_key.pem", futureKey.ExportRSAPrivateKeyPem());
        var serverOnly = Leaf(Root, rootKey, "CN=engine", ServerAuth, now.AddDays(-1), now.AddYears(1), serverNames: false, out var serverOnlyKey);
        ServerOnlyCertificatePath = Write("server_only.pem", serverOnly.ExportCertificatePem());
        ServerOnlyKeyPath = Write("server_only_key.pem", serverOnlyKey.ExportRSAPrivateKeyPem());

        var impostorRoot = Authority("CN=qlik.example.test-CA", out var impostorRootKey);
        var impostor = Leaf(impostorRoot, impostorRootKey, "CN=QlikClient", ClientAuth, now.AddDays(-1), now.AddYears(1), serverNames: false, out var impostorKey);
        ImpostorClientPath = Write("impostor_client.pem", impostor.ExportCertificatePem());
        ImpostorClientKeyPath = Write("impostor_client_key.pem", impostorKey.ExportRSAPrivateKeyPem());
        ImpostorClient = Keep(X509Certificate2.CreateFromPem(impostor.ExportCertificatePem(), impostorKey.ExportRSAPrivateKeyPem()));
        Client = Keep(X509Certificate2.CreateFromPem(client.ExportCertificatePem(), clientKey.ExportRSAPrivateKeyPem()));

        SigningKey = Keep(RSA.Create(2048));
        SigningKeyPath = Write("engine-signing.pem", SigningKey.ExportRSAPrivateKeyPem());
        SigningPublicKeyPem = SigningKey.ExportSubjectPublicKeyInfoPem();
        EcSigningKey = Keep(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        EcSigningKeyPath = Write("engine-signing-ec.pem", EcSigningKey.ExportECPrivateKeyPem());
        PublicKeyOnlyPath = Write("engine-signing-public.pem", SigningPublicKeyPem);
    }

    public string Directory { get; }

    public X509Certificate2 Root { get; }

    public string RootPath { get; }

    /// <summary>The engine's certificate (localhost, 127.0.0.1), with its key.</summary>
    public X509Certificate2 Server { get; }

    public string ServerSha256 => Server.GetCertHashString(HashAlgorithmName.SHA256);

    public X509Certificate2 Client { get; }

    public string ClientCertificatePath { get; }

    public string ClientKeyPath { get; }

    public string ClientPkcs8KeyPath { get; }

    public string ExpiredClientPath { get; }

    public string ExpiredClientKeyPath { get; }

    public string NotYetValidClientPath { get; }

    public string NotYetValidClientKeyPath { get; }

    public string ServerOnlyCertificatePath { get; }

    public string ServerOnlyKeyPath { get; }

    /// <summary>A client certificate from another CA with the same name as Qlik's.</summary>
    public X509Certificate2 ImpostorClient { get; }

    public string ImpostorClientPath { get; }

    public string ImpostorClientKeyPath { get; }

    public RSA SigningKey { get; }

    public string SigningKeyPath { get; }

    public string SigningPublicKeyPem { get; }

    public ECDsa EcSigningKey { get; }

    public string EcSigningKeyPath { get; }

    public string PublicKeyOnlyPath { get; }

    public string Write(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        _owned.ForEach(o => o.Dispose());
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private T Keep<T>(T owned)
        where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    private X509Certificate2 Authority(string subject, out RSA key)
    {
        key = Keep(RSA.Create(2048));
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return Keep(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-3), DateTimeOffset.UtcNow.AddYears(5)));
    }

    private X509Certificate2 Leaf(X509Certificate2 issuer, RSA issuerKey, string subject, string usage, DateTimeOffset notBefore, DateTimeOffset notAfter, bool serverNames, out RSA key)
    {
        key = Keep(RSA.Create(2048));
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        if (serverNames)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        var signer = X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1);
        using var certificate = request.Create(issuer.SubjectName, signer, notBefore, notAfter, serial);
        return Keep(certificate.CopyWithPrivateKey(key));
    }
}

/// <summary>One <see cref="QlikCertificateFiles"/> per test class: RSA keys take a moment to make.</summary>
public sealed class QlikCertificateFixture : IDisposable
{
    public QlikCertificateFiles Certificates { get; } = new();

    public void Dispose() => Certificates.Dispose();
}
