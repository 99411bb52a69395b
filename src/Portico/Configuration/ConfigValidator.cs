using Portico.Configuration.Rules;

namespace Portico.Configuration;

/// <summary>
/// Validates a configuration as a whole: every rule runs, every error is collected, and only a
/// configuration without errors may take effect.
/// </summary>
internal sealed class ConfigValidator
{
    private readonly IReadOnlyList<IConfigRule> _rules;

    public ConfigValidator(string baseDirectory)
    {
        _rules =
        [
            new ListenerRules(),
            new CertificateRules(baseDirectory),
            new HstsRules(),
            new ShutdownRules(),
            new LoadBalancingRules(),
            new DemoEngineRules(),
            new VirtualProxyRules(),
            new AdditionalResponseHeaderRules(),
            new AuthenticationRules(),
            new SessionLimitRules(),
            new CorsRules(),
            new JwtRules(),
            new QpsApiRules(baseDirectory),
            new AuditRules(baseDirectory),
        ];
    }

    public IReadOnlyList<ConfigError> Validate(PorticoConfig config)
    {
        var errors = new ConfigErrors();
        foreach (var rule in _rules)
        {
            rule.Check(config, errors);
        }

        return errors.All;
    }
}
