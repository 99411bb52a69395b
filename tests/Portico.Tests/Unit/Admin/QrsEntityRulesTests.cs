using Portico.Configuration;
using Portico.Configuration.Rules;
using Portico.Tests.Unit.Configuration;

namespace Portico.Tests.Unit.Admin;

public sealed class QrsEntityRulesTests
{
    [Fact]
    public void Check_RefusesIdsThatAreNotGuidsOrRepeat_AndAppliedFieldsParkedAsNotApplied()
    {
        var id = Guid.NewGuid().ToString("D");
        var config = new PorticoConfig
        {
            VirtualProxies =
            [
                new VirtualProxyConfig { Prefix = "a", Id = "not-a-guid" },
                new VirtualProxyConfig { Prefix = "b", Id = id },
                new VirtualProxyConfig { Prefix = "c", Id = id.ToUpperInvariant() },
                new VirtualProxyConfig
                {
                    Prefix = "d",
                    QlikFieldsNotApplied = new Dictionary<string, System.Text.Json.JsonElement> { ["Prefix"] = System.Text.Json.JsonDocument.Parse("\"x\"").RootElement },
                },
            ],
        };
        var errors = new ConfigErrors();

        new QrsEntityRules().Check(config, errors);

        ConfigAssert.HasError(errors.All, "virtualProxies[0].id", "is not a GUID");
        ConfigAssert.HasError(errors.All, "virtualProxies[2].id", "already the id of virtualProxies[1]");
        ConfigAssert.HasError(errors.All, "virtualProxies[3].qlikFieldsNotApplied.Prefix", "is a field Portico applies");
        Assert.Equal(3, errors.All.Count);
    }
}
