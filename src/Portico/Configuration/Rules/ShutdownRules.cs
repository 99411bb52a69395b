namespace Portico.Configuration.Rules;

internal sealed class ShutdownRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        if (config.Shutdown is null)
        {
            errors.Add("shutdown", "must be an object such as { \"drainSeconds\": 15 }, or left out");
        }
        else if (config.Shutdown.DrainSeconds is < 0 or > 3_600)
        {
            errors.Add("shutdown.drainSeconds", "must be between 0 (cut everything at once) and 3600 seconds");
        }
    }
}
