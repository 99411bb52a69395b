namespace Portico.Configuration.Rules;

internal sealed class HstsRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        var hsts = config.Hsts;
        if (hsts.MaxAgeSeconds < 0)
        {
            errors.Add("hsts.maxAgeSeconds", "must be 0 or more (0 tells browsers to forget the policy)");
        }

        // The preload list only accepts sites that cover their subdomains for at least a year.
        if (hsts.Preload && (!hsts.IncludeSubDomains || hsts.MaxAgeSeconds < 31_536_000))
        {
            errors.Add("hsts.preload", "preload needs includeSubDomains: true and maxAgeSeconds of at least 31536000");
        }
    }
}
