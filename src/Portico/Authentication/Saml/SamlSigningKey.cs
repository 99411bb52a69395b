using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Portico.Configuration;

namespace Portico.Authentication.Saml;

/// <summary>
/// Portico's own SAML signing key: signs the AuthnRequests and LogoutRequests it sends by the
/// HTTP-Redirect binding, and is published in the SP metadata so the identity provider can check
/// them. Kept with a self-signed certificate in one private file of the data directory (shared by the
/// nodes that share it), made on first use, so installations without SAML never have one. In cluster
/// mode it is kept in the cluster database instead, so every node signs with the key the identity
/// provider was given (docs/cluster.md).
/// </summary>
internal sealed class SamlSigningKey : IDisposable
{
    public const string FileName = "saml-sp-signing.pem";

    /// <summary>The name of the key in the cluster database's key table.</summary>
    public const string ClusterKeyName = "saml-sp-signing-pem";

    private readonly Lazy<X509Certificate2> _certificate;

    public SamlSigningKey(string dataDirectory)
        : this(() => LoadOrCreate(dataDirectory))
    {
    }

    private SamlSigningKey(Func<X509Certificate2> load) =>
        // Not cached when it fails: a database away on first use is asked again on the next request.
        _certificate = new(load, LazyThreadSafetyMode.PublicationOnly);

    /// <summary>The cluster's key, made once by the first node that needs it and read by every other.</summary>
    public static SamlSigningKey FromCluster(Cluster.ClusterDatabase cluster) => new(() =>
    {
        var text = Encoding.ASCII.GetString(cluster.LoadOrCreateKey(ClusterKeyName, () => Encoding.ASCII.GetBytes(CreatePem())));
        return X509Certificate2.CreateFromPem(text, text);
    });

    public X509Certificate2 Certificate => _certificate.Value;

    /// <summary>The SigAlg of the HTTP-Redirect binding for the configured algorithm (Qlik's samlAttributeSigningAlgorithm).</summary>
    public static string SigAlg(SamlSigningAlgorithm algorithm) => algorithm == SamlSigningAlgorithm.Sha1
        ? System.Security.Cryptography.Xml.SignedXml.XmlDsigRSASHA1Url
        : System.Security.Cryptography.Xml.SignedXml.XmlDsigRSASHA256Url;

    /// <summary>Signs the binding's octet string (SAML bindings 3.4.4.1): the query parameters exactly as sent.</summary>
    public byte[] Sign(string octets, SamlSigningAlgorithm algorithm)
    {
        using var key = Certificate.GetRSAPrivateKey()!;
        return key.SignData(Encoding.ASCII.GetBytes(octets), algorithm == SamlSigningAlgorithm.Sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public void Dispose()
    {
        if (_certificate.IsValueCreated)
        {
            _certificate.Value.Dispose();
        }
    }

    private static X509Certificate2 LoadOrCreate(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            var pem = CreatePem();

            // A private temporary file moved into place: no other user reads the key, no node reads half of it.
            var temporary = path + "." + Guid.NewGuid().ToString("n") + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(pem));
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        var text = File.ReadAllText(path);
        return X509Certificate2.CreateFromPem(text, text);
    }

    /// <summary>A new key with its self-signed certificate, as PEM (private key, then certificate).</summary>
    private static string CreatePem()
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=Portico SAML service provider", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        return rsa.ExportPkcs8PrivateKeyPem() + "\n" + created.ExportCertificatePem() + "\n";
    }
}
