using System.Security.Cryptography.X509Certificates;
using Portico.Configuration;
using Portico.Hosting;

namespace Portico.QpsApi;

/// <summary>The client-certificate policy of the QPS API listener, built once from the configuration at start-up.</summary>
internal sealed class QpsApiTrust
{
    public QpsApiTrust(ConfigSnapshotStore snapshots, HostCertificates certificates)
    {
        var snapshot = snapshots.Current;
        var config = snapshot.Config.QpsApi;
        var authorities = new X509Certificate2Collection();
        foreach (var path in config.TrustedClientCaPaths)
        {
            authorities.ImportFromPemFile(snapshot.ResolvePath(path));
        }

        if (config.TrustDevelopmentCa && certificates.Development is { } development)
        {
            authorities.ImportFromPemFile(development.CaPath);
        }

        Policy = new ClientCertificatePolicy(authorities, config.TrustedClientThumbprints);
        TrustsAnyone = authorities.Count > 0 || config.TrustedClientThumbprints.Count > 0;
    }

    public ClientCertificatePolicy Policy { get; }

    /// <summary>False when no CA or thumbprint is configured: every call is refused, and start-up says so.</summary>
    public bool TrustsAnyone { get; }
}
