using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portico.Doctor;

/// <summary>
/// Which server certificates the doctor accepts: the system's trust store, or only chains to the
/// CAs of <c>--ca FILE</c>, read once before any connection so that a missing or unreadable file is
/// named as such instead of surfacing later as a generic TLS failure.
/// </summary>
internal sealed class DoctorTrust
{
    private readonly X509Certificate2Collection? _authorities;
    private readonly byte[]? _pinnedHash;

    private DoctorTrust(X509Certificate2Collection? authorities, byte[]? pinnedHash = null)
    {
        _authorities = authorities;
        _pinnedHash = pinnedHash;
    }

    public static DoctorTrust System { get; } = new(null);

    /// <summary>
    /// Exactly one certificate, whatever its name or issuer: Portico checking its own listener
    /// (the admin API's origin check) holds the certificate that listener serves.
    /// </summary>
    public static DoctorTrust Pinned(X509Certificate2 certificate) => new(null, certificate.GetCertHash(HashAlgorithmName.SHA256));

    /// <returns>Null with <paramref name="error"/> set when the file cannot serve as a CA list.</returns>
    public static DoctorTrust? FromCaFile(string path, out string? error)
    {
        error = null;
        if (!File.Exists(path))
        {
            error = Directory.Exists(path)
                ? $"--ca '{path}' is a folder; name the PEM file of the CA that issued the server's certificate"
                : $"--ca: there is no file '{path}'; name the PEM file of the CA that issued the server's certificate";
            return null;
        }

        try
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(path);
            if (authorities.Count > 0)
            {
                return new DoctorTrust(authorities);
            }

            error = $"--ca '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            error = $"--ca '{path}' cannot be read as PEM certificates: {ex.Message}";
        }

        return null;
    }

    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (_pinnedHash is not null)
        {
            return certificate is not null && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), _pinnedHash);
        }

        if (_authorities is null || certificate is null)
        {
            return errors == SslPolicyErrors.None;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
