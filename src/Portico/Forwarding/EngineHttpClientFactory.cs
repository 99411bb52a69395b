using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Portico.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Portico.Forwarding;

/// <summary>
/// YARP's connection pools toward engines, one per cluster (virtual proxy), with that virtual
/// proxy's TLS settings: the client certificate Portico presents (Qlik Sense Enterprise's
/// client.pem) and <see cref="EngineCertificateCheck"/> as the judge of the engine's certificate.
/// HTTP requests, WebSocket upgrades and health probes all use these pools.
/// </summary>
internal sealed partial class EngineHttpClientFactory : ForwarderHttpClientFactory
{
    public const string TlsMetadataKey = "portico.engineTls";

    /// <summary>What a cluster gets whose settings cannot be found: no engine certificate is accepted.</summary>
    private static readonly EngineTls Unmatched = new(null, null, [], acceptAny: false, unusable: true);

    private readonly ConfigSnapshotStore _snapshots;
    private readonly ILogger<EngineHttpClientFactory> _logger;

    public EngineHttpClientFactory(ConfigSnapshotStore snapshots, ILogger<EngineHttpClientFactory> logger)
        : base(logger)
    {
        _snapshots = snapshots;
        _logger = logger;
    }

    protected override bool CanReuseOldClient(ForwarderHttpClientContext context) =>
        base.CanReuseOldClient(context) && TlsFingerprint(context.OldMetadata) == TlsFingerprint(context.NewMetadata);

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        var tls = Find(context);
        if (tls.IsDefault)
        {
            return;
        }

        var clusterId = context.ClusterId;
        if (tls.ClientCertificate is { } clientCertificate)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];

            // The engine may name acceptable issuers the certificate does not match (Qlik's engine
            // names its own CA); the configured certificate is presented regardless, and the engine decides.
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        // Every new connection (requests, upgrades, health probes) is judged; a refusal is logged
        // when it differs from the last one, not once per attempt.
        string? lastRefusal = null;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            var refusal = EngineCertificateCheck.Refusal(tls, certificate as X509Certificate2, chain, errors);
            if (refusal is not null && Interlocked.Exchange(ref lastRefusal, refusal) != refusal)
            {
                Log.EngineCertificateRefused(_logger, clusterId, refusal);
            }

            return refusal is null;
        };
    }

    private EngineTls Find(ForwarderHttpClientContext context)
    {
        var fingerprint = TlsFingerprint(context.NewMetadata);
        // Clusters of a new snapshot are built before it becomes current: its settings are the ones applying.
        if (_snapshots.Applying.EngineBindings.TryGetValue(context.ClusterId, out var binding) && binding.Tls.Fingerprint == fingerprint)
        {
            return binding.Tls;
        }

        // A cluster this factory cannot match to its settings gets no trust at all (fail closed);
        // only a default cluster is left to the system's defaults.
        return fingerprint is null || fingerprint == EngineTls.Default.Fingerprint ? EngineTls.Default : Unmatched;
    }

    private static string? TlsFingerprint(IReadOnlyDictionary<string, string>? metadata) => metadata?.GetValueOrDefault(TlsMetadataKey);

    private static partial class Log
    {
        [LoggerMessage(8101, LogLevel.Warning, "Engine connection for cluster {ClusterId} refused: {Reason}.")]
        public static partial void EngineCertificateRefused(ILogger logger, string clusterId, string reason);
    }
}
