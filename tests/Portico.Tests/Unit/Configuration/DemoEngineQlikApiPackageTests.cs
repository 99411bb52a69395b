using Portico.Configuration;
using Portico.Configuration.Rules;
using Portico.TestSupport;

namespace Portico.Tests.Unit.Configuration;

public sealed class DemoEngineQlikApiPackageTests
{
    private static readonly string ClientsDirectory = NodeClients.LocateClientsDirectory();

    [Fact]
    public void Check_MissingFolder_NamesTheFieldAndTheFix()
    {
        var errors = Check(ConfigAssert.NonExistentBaseDirectory(), "node_modules/@qlik/api");

        ConfigAssert.HasError(errors, "demoEngine.qlikApiPackage", "has no package.json; point it at the folder of an installed @qlik/api");
    }

    [Fact]
    public void Check_AnotherPackage_IsRejected()
    {
        var errors = Check(ClientsDirectory, "node_modules/enigma.js");

        ConfigAssert.HasError(errors, "demoEngine.qlikApiPackage", "holds the package \"enigma.js\", not @qlik/api");
    }

    [Fact]
    public async Task Check_InstalledPackageRelativeToTheConfigFile_IsAccepted()
    {
        await NodeClients.Shared.EnsureInstalledAsync();

        ConfigAssert.HasNoErrorAt(Check(ClientsDirectory, "node_modules/@qlik/api"), "demoEngine.qlikApiPackage");
    }

    [Fact]
    public void Check_DemoEngineDisabled_IgnoresThePackage()
    {
        var errors = new ConfigErrors();
        new DemoEngineRules(ConfigAssert.NonExistentBaseDirectory()).Check(
            new PorticoConfig { DemoEngine = new DemoEngineConfig { Enabled = false, QlikApiPackage = "nowhere" } },
            errors);

        Assert.Empty(errors.All);
    }

    private static IReadOnlyList<ConfigError> Check(string baseDirectory, string package)
    {
        var errors = new ConfigErrors();
        new DemoEngineRules(baseDirectory).Check(
            new PorticoConfig { DemoEngine = new DemoEngineConfig { Enabled = true, QlikApiPackage = package } },
            errors);
        return errors.All;
    }
}
