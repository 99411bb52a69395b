using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portico.Forwarding;

/// <summary>A reason an engine credential file cannot be used, with the field it concerns (relative to <c>engineConnection</c>).</summary>
internal sealed record EngineCredentialProblem(string Field, string Message);

/// <summary>
/// Reads the files an admin names for engine connections, in the layout Qlik Sense exports them
/// (client.pem, client_key.pem, root.pem), and says precisely what is wrong with them. The same
/// code loads them for validation and for the running snapshot, so what passed is what runs.
/// </summary>
internal static class EngineCredentials
{
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>
    /// The client certificate with its private key, or null and the problems. Refused: unreadable
    /// files, an encrypted key, a key of another certificate, a certificate outside its validity
    /// period at <paramref name="now"/>, and one whose extended key usage leaves out client
    /// authentication (a certificate without that extension may be used for any purpose, RFC 5280 4.2.1.12;
    /// Qlik's exported client.pem names client authentication).
    /// </summary>
    /// <param name="now">When to judge the validity period; null does not judge it (a running snapshot keeps what validation accepted).</param>
    public static X509Certificate2? LoadClientCertificate(string certificatePath, string keyPath, DateTimeOffset? now, List<EngineCredentialProblem> problems)
    {
        var certificatePem = ReadPem(certificatePath, "clientCertificatePath", "the PEM certificate Portico presents to engines (Qlik's client.pem)", problems);
        var keyPem = ReadPem(keyPath, "clientKeyPath", "the certificate's PEM private key (Qlik's client_key.pem)", problems);
        if (certificatePem is null || keyPem is null)
        {
            return null;
        }

        if (keyPem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal) || keyPem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            problems.Add(new("clientKeyPath", "is an encrypted private key; export it without a password (Qlik's client_key.pem is not encrypted)"));
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (CryptographicException)
        {
            problems.Add(new("clientCertificatePath", "holds no readable PEM certificate; point it at Qlik's client.pem (-----BEGIN CERTIFICATE-----)"));
            return null;
        }

        using (certificate)
        {
            if (!KeyIsReadable(keyPem))
            {
                problems.Add(new("clientKeyPath", "holds no readable RSA or EC private key; point it at Qlik's client_key.pem (-----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----)"));
                return null;
            }

            X509Certificate2 withKey;
            try
            {
                withKey = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            }
            catch (CryptographicException)
            {
                problems.Add(new("clientKeyPath", $"is not the private key of the certificate in clientCertificatePath ({certificate.Subject}); use the key exported with it"));
                return null;
            }

            if (now is { } at && at < certificate.NotBefore.ToUniversalTime())
            {
                problems.Add(new("clientCertificatePath", $"is not valid before {certificate.NotBefore.ToUniversalTime():u}; engines would refuse it until then"));
            }
            else if (now is { } later && later > certificate.NotAfter.ToUniversalTime())
            {
                problems.Add(new("clientCertificatePath", $"expired on {certificate.NotAfter.ToUniversalTime():u}; export a current client certificate from Qlik Sense (QMC > Certificates)"));
            }

            if (!AllowsClientAuthentication(certificate))
            {
                problems.Add(new("clientCertificatePath", "does not allow client authentication (its extended key usage lacks 1.3.6.1.5.5.7.3.2); use Qlik's exported client.pem, not a server certificate"));
            }

            if (problems.Count > 0)
            {
                withKey.Dispose();
                return null;
            }

            return PersistableForTls(withKey);
        }
    }

    /// <summary>The CA certificates engine certificates must chain to, or null and a problem.</summary>
    public static X509Certificate2Collection? LoadRoots(string path, List<EngineCredentialProblem> problems)
    {
        var pem = ReadPem(path, "trustedRootPath", "the PEM CA certificate that signed the engines' certificates (Qlik's root.pem)", problems);
        if (pem is null)
        {
            return null;
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(pem);
        }
        catch (CryptographicException)
        {
            problems.Add(new("trustedRootPath", "holds a damaged PEM certificate; point it at Qlik's root.pem"));
            return null;
        }

        if (roots.Count == 0)
        {
            problems.Add(new("trustedRootPath", "holds no PEM certificate; point it at Qlik's root.pem (-----BEGIN CERTIFICATE-----)"));
            return null;
        }

        return roots;
    }

    /// <summary>Uppercase hex of a SHA-256 thumbprint (separators and spaces dropped), or null when it is not one.</summary>
    public static string? NormalizeSha256Thumbprint(string? thumbprint) =>
        QpsApi.ClientCertificatePolicy.NormalizeThumbprint(thumbprint) is { Length: 64 } normalized ? normalized : null;

    public static string Sha256Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private static string? ReadPem(string path, string field, string what, List<EngineCredentialProblem> problems)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var reason = ex is FileNotFoundException or DirectoryNotFoundException ? "does not exist" : ex is UnauthorizedAccessException ? "cannot be read (permissions)" : "cannot be read";
            problems.Add(new(field, $"file '{path}' {reason}; point it at {what}"));
            return null;
        }
    }

    private static bool KeyIsReadable(string keyPem)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(keyPem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
        }

        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(keyPem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    private static bool AllowsClientAuthentication(X509Certificate2 certificate)
    {
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().ToList();
        return usages.Count == 0 || usages.Any(u => u.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ClientAuthenticationOid));
    }

    /// <summary>A PEM key lives only in memory; Windows' TLS stack needs it in a key store, which a PKCS#12 round trip gives it.</summary>
    private static X509Certificate2 PersistableForTls(X509Certificate2 certificate)
    {
        if (!OperatingSystem.IsWindows())
        {
            return certificate;
        }

        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
        }
    }
}
