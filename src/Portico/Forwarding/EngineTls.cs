using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Portico.Forwarding;

/// <summary>
/// The TLS material of one virtual proxy's engine connections, loaded once per configuration
/// snapshot: the client certificate Portico presents and how it judges the engine's certificate.
/// </summary>
internal sealed class EngineTls
{
    public EngineTls(X509Certificate2? clientCertificate, X509Certificate2Collection? trustedRoots, IReadOnlyCollection<string> pinnedThumbprints, bool acceptAny, bool unusable = false)
    {
        ClientCertificate = clientCertificate;
        TrustedRoots = trustedRoots;
        PinnedThumbprints = pinnedThumbprints.ToFrozenSet(StringComparer.Ordinal);
        AcceptAnyServerCertificate = acceptAny;
        Unusable = unusable;
        Fingerprint = ComputeFingerprint();
    }

    /// <summary>Presented to every engine of the virtual proxy; null presents none.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>CAs the engine's certificate must chain to; null leaves it to the system's trust store.</summary>
    public X509Certificate2Collection? TrustedRoots { get; }

    /// <summary>SHA-256 thumbprints (uppercase hex) of engine certificates accepted as they are.</summary>
    public FrozenSet<string> PinnedThumbprints { get; }

    public bool AcceptAnyServerCertificate { get; }

    /// <summary>
    /// The configured files could not be loaded when the snapshot was made (changed after
    /// validation): no engine certificate is accepted, so nothing is sent without the intended
    /// protection.
    /// </summary>
    public bool Unusable { get; }

    /// <summary>Changes whenever anything above changes, so the forwarder makes a new connection pool for it.</summary>
    public string Fingerprint { get; }

    /// <summary>Nothing configured: the system's default TLS behaviour, no client certificate.</summary>
    public static EngineTls Default { get; } = new(null, null, [], acceptAny: false);

    public bool IsDefault => Fingerprint == Default.Fingerprint;

    private string ComputeFingerprint()
    {
        var text = new StringBuilder();
        text.Append(ClientCertificate is null ? "-" : EngineCredentials.Sha256Thumbprint(ClientCertificate)).Append('|');
        foreach (var root in TrustedRoots ?? [])
        {
            text.Append(EngineCredentials.Sha256Thumbprint(root)).Append(',');
        }

        text.Append('|').AppendJoin(',', PinnedThumbprints.Order(StringComparer.Ordinal)).Append('|').Append(AcceptAnyServerCertificate).Append('|').Append(Unusable);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 16);
    }
}
