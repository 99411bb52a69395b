using Portico.ResponseHeaders;

namespace Portico.Configuration.Rules;

internal sealed class AdditionalResponseHeaderRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        for (var i = 0; i < config.VirtualProxies.Count; i++)
        {
            // A null entry is reported by VirtualProxyRules.
            if (config.VirtualProxies[i] is not { } vp)
            {
                continue;
            }

            foreach (var error in AdditionalHeaderParser.Parse(vp.AdditionalResponseHeaders).Errors)
            {
                errors.Add($"virtualProxies[{i}].additionalResponseHeaders", error.ToString());
            }
        }
    }
}
