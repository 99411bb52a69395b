using Portico.VirtualProxies;

namespace Portico.Configuration.Rules;

/// <summary>The bounds on what sessions and clients can make Portico keep (see docs/security.md, "Bounded by construction").</summary>
internal sealed class SessionLimitRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        var sessions = config.Sessions;
        if (sessions.MaxLiveSessions is < 1 or > 10_000_000)
        {
            errors.Add("sessions.maxLiveSessions", "must be between 1 and 10000000 (each live session takes about 1 KB)");
        }

        if (sessions.AnonymousFirstUseGraceSeconds is < 5 or > 86_400)
        {
            errors.Add("sessions.anonymousFirstUseGraceSeconds", "must be between 5 and 86400 seconds");
        }

        if (sessions.MaxWebSocketsPerSession is < 1 or > 10_000)
        {
            errors.Add("sessions.maxWebSocketsPerSession", "must be between 1 and 10000 (a Qlik client opens one socket per app and one global)");
        }

        var limits = config.ClientLimits;
        if (limits.AnonymousSessionsPerMinute is < 0 or > 1_000_000)
        {
            errors.Add("clientLimits.anonymousSessionsPerMinute", "must be between 0 (no limit) and 1000000");
        }

        if (limits.LoginTargetsPerMinute is < 0 or > 1_000_000)
        {
            errors.Add("clientLimits.loginTargetsPerMinute", "must be between 0 (no limit) and 1000000");
        }

        for (var i = 0; i < config.VirtualProxies.Count; i++)
        {
            var vp = config.VirtualProxies[i];
            if (vp is null)
            {
                continue;
            }

            if (vp.EngineIdleTimeoutSeconds is < 2 or > 2_073_600)
            {
                errors.Add($"virtualProxies[{i}].engineIdleTimeoutSeconds", "must be between 2 and 2073600 seconds (24 days), or null for the session inactivity timeout (at most 24 days)");
            }

            if (vp.WebSocketKeepAliveSeconds is < 0 or > 86_400)
            {
                errors.Add($"virtualProxies[{i}].webSocketKeepAliveSeconds", "must be between 0 (no pings) and 86400 seconds");
            }
            else if (vp.WebSocketKeepAliveSeconds > 0 && vp.WebSocketKeepAliveSeconds * 2L > VirtualProxy.EngineIdleTimeoutOf(vp).TotalSeconds)
            {
                errors.Add($"virtualProxies[{i}].webSocketKeepAliveSeconds",
                    "must be at most half the engine idle timeout (engineIdleTimeoutSeconds, or the session inactivity timeout), so a live client's pong always comes in time");
            }
        }
    }
}
