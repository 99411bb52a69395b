using Portico.Authentication.Header;
using Portico.ResponseHeaders;

namespace Portico.Configuration;

/// <summary>
/// What in a valid configuration still deserves an admin's attention. One list, logged at start-up
/// and after each reload and printed by <c>--check</c>, so checking a file shows what starting it would.
/// </summary>
internal static partial class ConfigWarnings
{
    /// <param name="qpsApiTrustsNobody">What the running QPS API listener found; <c>--check</c> judges it from the configuration alone.</param>
    public static IReadOnlyList<string> For(ConfigSnapshot snapshot, bool qpsApiTrustsNobody = false)
    {
        var config = snapshot.Config;
        var warnings = new List<string>(snapshot.Warnings);
        if (config.Hsts.Enabled && config.Hsts.MaxAgeSeconds == 0)
        {
            warnings.Add($"hsts.maxAgeSeconds: 0 {HstsOff}; set a lifetime such as 31536000 (a year), or \"enabled\": false to send no header");
        }

        for (var i = 0; i < snapshot.VirtualProxies.All.Count; i++)
        {
            var vp = snapshot.VirtualProxies.All[i];
            var path = $"virtualProxies[{i}]";
            if (vp.IsHeaderAuthentication && vp.HeaderTrustedNetworks is null)
            {
                warnings.Add($"virtual proxy '{vp.DisplayName}' believes the {vp.Config.HeaderAuthenticationHeaderName} header from any address; set headerAuthenticationTrustedNetworks to the front end's addresses");
            }
            else if (vp.IsHeaderAuthentication && TrustedNetworkCoverage.TrustsAll(vp.HeaderTrustedNetworks!.Networks) is { } all)
            {
                warnings.Add($"{path}.headerAuthenticationTrustedNetworks: trusts {all}, so anyone who reaches Portico can name any user in the {vp.Config.HeaderAuthenticationHeaderName} header; list only the front end's addresses");
            }

            if (!vp.Config.HasSecureAttributeHttps || vp.Config.SameSiteAttributeHttps == CookieSameSite.NoAttribute)
            {
                warnings.Add($"virtual proxy '{vp.DisplayName}': session cookies are always Secure with an explicit SameSite (Lax when none is configured); hasSecureAttributeHttps: false and sameSiteAttributeHttps: 0 are not applied");
            }

            foreach (var line in AdditionalHeaderParser.Parse(vp.Config.AdditionalResponseHeaders).Lines)
            {
                if (line.Name.Equals(HstsHeader.Name, StringComparison.OrdinalIgnoreCase) && HstsHeader.MaxAgeSeconds(line.Value) == 0)
                {
                    warnings.Add($"{path}.additionalResponseHeaders: line {line.LineNumber}: \"{line.Name}: {line.Value}\" {HstsOff}; write a lifetime such as max-age=31536000, or remove the line to send the hsts setting");
                }
            }
        }

        if (qpsApiTrustsNobody || QpsApiTrustsNobody(config))
        {
            warnings.Add("the QPS API listener trusts no client certificate, so every call is refused; set qpsApi.trustedClientCaPaths or qpsApi.trustedClientThumbprints");
        }

        if (config.Listeners.QrsApi is not null && TrustsNoClientCertificate(config))
        {
            warnings.Add("the admin API listener (listeners.qrsApi) trusts no client certificate, so every call is refused; it shares the QPS API's trust: set qpsApi.trustedClientCaPaths or qpsApi.trustedClientThumbprints");
        }

        return warnings;
    }

    public static void Write(ILogger logger, ConfigSnapshot snapshot, bool qpsApiTrustsNobody = false)
    {
        foreach (var warning in For(snapshot, qpsApiTrustsNobody))
        {
            Log.Warning(logger, warning);
        }
    }

    /// <summary>RFC 6797 section 6.1.1: max-age=0 is how a host asks browsers to drop its HSTS policy.</summary>
    private const string HstsOff = "tells browsers to forget HSTS for this host (RFC 6797 6.1.1), so they accept plain http:// again";

    /// <summary>The facts QpsApiTrust finds at start-up, read from the configuration (the generated CA exists only without a configured certificate).</summary>
    private static bool QpsApiTrustsNobody(PorticoConfig config) =>
        config.Listeners.QpsApi is not null && TrustsNoClientCertificate(config);

    private static bool TrustsNoClientCertificate(PorticoConfig config) =>
        config.QpsApi.TrustedClientCaPaths.Count == 0
        && config.QpsApi.TrustedClientThumbprints.Count == 0
        && !(config.QpsApi.TrustDevelopmentCa && config.Certificate is null);

    private static partial class Log
    {
        [LoggerMessage(106, LogLevel.Warning, "Configuration: {Warning}.")]
        public static partial void Warning(ILogger logger, string warning);
    }
}
