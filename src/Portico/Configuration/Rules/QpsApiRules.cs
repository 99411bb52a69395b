using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portico.QpsApi;

namespace Portico.Configuration.Rules;

internal sealed class QpsApiRules(string baseDirectory) : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        var qps = config.QpsApi;
        for (var i = 0; i < qps.TrustedClientCaPaths.Count; i++)
        {
            var path = $"qpsApi.trustedClientCaPaths[{i}]";
            try
            {
                var full = Path.GetFullPath(qps.TrustedClientCaPaths[i], baseDirectory);
                if (!File.Exists(full))
                {
                    errors.Add(path, $"file '{full}' does not exist; point it at a PEM CA certificate");
                    continue;
                }

                var collection = new X509Certificate2Collection();
                collection.ImportFromPemFile(full);
                if (collection.Count == 0)
                {
                    errors.Add(path, "holds no PEM certificate");
                }
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException)
            {
                errors.Add(path, $"cannot be read as PEM certificates: {ex.Message}");
            }
        }

        for (var i = 0; i < qps.TrustedClientThumbprints.Count; i++)
        {
            if (ClientCertificatePolicy.NormalizeThumbprint(qps.TrustedClientThumbprints[i]) is null)
            {
                errors.Add($"qpsApi.trustedClientThumbprints[{i}]", "is not a SHA-256 (64 hex digits) or SHA-1 (40 hex digits) thumbprint");
            }
        }

        if (qps.TicketLifetimeSeconds is < 1 or > 3600)
        {
            errors.Add("qpsApi.ticketLifetimeSeconds", "must be between 1 and 3600 (Qlik's default is 60)");
        }
    }
}
