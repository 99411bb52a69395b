namespace Portico.Configuration;

/// <summary>Logs what in a valid configuration still deserves an admin's attention; at start-up and after each reload.</summary>
internal static partial class ConfigWarnings
{
    public static void Write(ILogger logger, ConfigSnapshot snapshot, bool qpsApiTrustsNobody = false)
    {
        foreach (var warning in snapshot.Warnings)
        {
            Log.Warning(logger, warning);
        }

        foreach (var vp in snapshot.VirtualProxies.All.Where(vp => vp.IsHeaderAuthentication && vp.HeaderTrustedNetworks is null))
        {
            Log.Warning(logger, $"virtual proxy '{vp.DisplayName}' believes the {vp.Config.HeaderAuthenticationHeaderName} header from any address; set headerAuthenticationTrustedNetworks to the front end's addresses");
        }

        foreach (var vp in snapshot.VirtualProxies.All.Where(vp => !vp.Config.HasSecureAttributeHttps || vp.Config.SameSiteAttributeHttps == CookieSameSite.NoAttribute))
        {
            Log.Warning(logger, $"virtual proxy '{vp.DisplayName}': session cookies are always Secure with an explicit SameSite (Lax when none is configured); hasSecureAttributeHttps: false and sameSiteAttributeHttps: 0 are not applied");
        }

        if (qpsApiTrustsNobody)
        {
            Log.Warning(logger, "the QPS API listener trusts no client certificate, so every call is refused; set qpsApi.trustedClientCaPaths or qpsApi.trustedClientThumbprints");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(106, LogLevel.Warning, "Configuration: {Warning}.")]
        public static partial void Warning(ILogger logger, string warning);
    }
}
