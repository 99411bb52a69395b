using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portico.Configuration.Rules;

internal sealed class CertificateRules(string baseDirectory) : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        if (config.Certificate is not { } certificate)
        {
            return;
        }

        var certificatePath = FullPath(certificate.CertificatePath);
        var keyPath = FullPath(certificate.KeyPath);
        if (certificatePath is null || keyPath is null)
        {
            if (certificatePath is null)
            {
                errors.Add("certificate.certificatePath", "is not a valid file path");
            }

            if (keyPath is null)
            {
                errors.Add("certificate.keyPath", "is not a valid file path");
            }

            return;
        }

        var missing = false;
        if (!File.Exists(certificatePath))
        {
            errors.Add("certificate.certificatePath", $"file '{certificatePath}' does not exist; point it at a PEM certificate");
            missing = true;
        }

        if (!File.Exists(keyPath))
        {
            errors.Add("certificate.keyPath", $"file '{keyPath}' does not exist; point it at the PEM private key of the certificate");
            missing = true;
        }

        if (missing)
        {
            return;
        }

        try
        {
            using var loaded = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (!loaded.HasPrivateKey)
            {
                errors.Add("certificate.keyPath", "the key does not belong to the certificate; use the certificate's own private key");
            }
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            errors.Add("certificate", $"cannot load the PEM certificate and key: {ex.Message}");
        }
    }

    private string? FullPath(string path)
    {
        try
        {
            return path.Length == 0 ? null : Path.GetFullPath(path, baseDirectory);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }
}
