namespace Portico.Configuration.Rules;

internal sealed class LoadBalancingRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        var lb = config.LoadBalancing;
        if (lb.HealthCheckIntervalSeconds is < 1 or > 3600)
        {
            errors.Add("loadBalancing.healthCheckIntervalSeconds", "must be between 1 and 3600");
        }

        if (lb.HealthCheckTimeoutSeconds < 1 || lb.HealthCheckTimeoutSeconds > lb.HealthCheckIntervalSeconds)
        {
            errors.Add("loadBalancing.healthCheckTimeoutSeconds", "must be at least 1 and no longer than healthCheckIntervalSeconds");
        }

        if (lb.ReactivationPeriodSeconds is < 1 or > 3600)
        {
            errors.Add("loadBalancing.reactivationPeriodSeconds", "must be between 1 and 3600");
        }
    }
}
