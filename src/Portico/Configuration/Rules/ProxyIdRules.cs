namespace Portico.Configuration.Rules;

/// <summary>Qlik's proxy id is a GUID; engines parse it as one.</summary>
internal sealed class ProxyIdRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        if (config.ProxyId is { } id && !Guid.TryParseExact(id, "D", out _))
        {
            errors.Add("proxyId", $"\"{id}\" is not a GUID; write one like \"3f2504e0-4f89-41d3-9a0c-0305e82c3301\", or leave proxyId out to derive it from publicHost (the same on every node)");
        }
    }
}
