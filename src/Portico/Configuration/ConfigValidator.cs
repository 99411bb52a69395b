using Portico.Configuration.Rules;

namespace Portico.Configuration;

/// <summary>
/// Validates a configuration as a whole: every rule runs, every error is collected, and only a
/// configuration without errors may take effect.
/// </summary>
internal sealed class ConfigValidator
{
    private readonly IReadOnlyList<IConfigRule> _rules;

    /// <param name="time">The clock certificate validity periods are judged by; the system clock by default.</param>
    public ConfigValidator(string baseDirectory, TimeProvider? time = null)
    {
        _rules =
        [
            new ListenerRules(),
            new CertificateRules(baseDirectory),
            new HstsRules(),
            new ShutdownRules(),
            new LoadBalancingRules(),
            new DemoEngineRules(baseDirectory),
            new VirtualProxyRules(),
            new AdditionalResponseHeaderRules(),
            new AuthenticationRules(),
            new SessionLimitRules(),
            new CorsRules(),
            new JwtRules(),
            new SamlRules(),
            new OidcRules(baseDirectory),
            new QpsApiRules(baseDirectory),
            new EngineConnectionRules(baseDirectory, time ?? TimeProvider.System),
            new ProxyIdRules(),
            new LoggingRules(),
            new AuditRules(baseDirectory),
            new ClusterRules(),
            new QrsEntityRules(),
            new ConsoleRules(),
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
