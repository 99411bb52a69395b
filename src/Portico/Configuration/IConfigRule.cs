namespace Portico.Configuration;

/// <summary>The checks of one concern (listeners, virtual proxies, headers...). Each rule adds every error it finds.</summary>
internal interface IConfigRule
{
    void Check(PorticoConfig config, ConfigErrors errors);
}
