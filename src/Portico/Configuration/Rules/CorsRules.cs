using Portico.Cors;
using Portico.ResponseHeaders;

namespace Portico.Configuration.Rules;

/// <summary>The host allow list entries and the Access-Control-* lines of the additional response headers.</summary>
internal sealed class CorsRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        for (var i = 0; i < config.VirtualProxies.Count; i++)
        {
            if (config.VirtualProxies[i] is not { } vp)
            {
                continue;
            }

            var path = $"virtualProxies[{i}]";
            for (var e = 0; e < vp.WebsocketCrossOriginWhiteList.Count; e++)
            {
                if (vp.WebsocketCrossOriginWhiteList[e] is null)
                {
                    errors.Add($"{path}.websocketCrossOriginWhiteList[{e}]", "is null; write a host, an origin or \"*.domain\"");
                }
                else if (OriginAllowList.TryCreate([vp.WebsocketCrossOriginWhiteList[e]], out var entryErrors) is null)
                {
                    errors.Add($"{path}.websocketCrossOriginWhiteList[{e}]", entryErrors[0]);
                }
            }

            var lines = CorsHeaderLines.Extract(AdditionalHeaderParser.Parse(vp.AdditionalResponseHeaders).Lines);
            foreach (var error in lines.Errors)
            {
                errors.Add($"{path}.additionalResponseHeaders", error.ToString());
            }

            if (OriginAllowList.TryCreate(lines.Origins, out var originErrors) is null)
            {
                foreach (var error in originErrors)
                {
                    errors.Add($"{path}.additionalResponseHeaders", $"Access-Control-Allow-Origin entry {error}");
                }
            }
        }
    }
}
