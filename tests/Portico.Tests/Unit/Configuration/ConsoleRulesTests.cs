using Portico.Configuration;
using Portico.Configuration.Rules;

namespace Portico.Tests.Unit.Configuration;

/// <summary>The console section is refused before it takes effect, each error naming the field and the fix (docs/console.md).</summary>
public sealed class ConsoleRulesTests
{
    private static readonly VirtualProxyConfig Ticket = new() { Prefix = "ticket", AnonymousAccessMode = AnonymousAccessMode.NoAnonymousUser };
    private static readonly VirtualProxyConfig Open = new() { Prefix = "open", AnonymousAccessMode = AnonymousAccessMode.AllowAnonymous };
    private static readonly VirtualProxyConfig Public = new() { Prefix = "", AnonymousAccessMode = AnonymousAccessMode.AlwaysAnonymous };

    [Fact]
    public void Check_NoConsole_IsFine()
    {
        Assert.Empty(Check(null));
    }

    [Fact]
    public void Check_ExistingLoginProxyAndAnAdmin_IsFine()
    {
        Assert.Empty(Check(new ConsoleConfig { VirtualProxy = "ticket", AdminUsers = ["DEMO\\alice"] }));
        Assert.Empty(Check(new ConsoleConfig { VirtualProxy = "TICKET", AdminGroups = ["PorticoAdmins"] }));
    }

    [Fact]
    public void Check_MissingVirtualProxy_AsksForOneAndNamesTheChoices()
    {
        var errors = Check(new ConsoleConfig { AdminUsers = ["DEMO\\alice"] });

        ConfigAssert.HasError(errors, "console.virtualProxy", "is required");
        ConfigAssert.HasError(errors, "console.virtualProxy", "\"ticket\"");
    }

    [Fact]
    public void Check_UnknownVirtualProxy_NamesTheConfiguredOnes()
    {
        var errors = Check(new ConsoleConfig { VirtualProxy = "nope", AdminUsers = ["DEMO\\alice"] });

        ConfigAssert.HasError(errors, "console.virtualProxy", "no virtual proxy has the prefix \"nope\"");
    }

    [Theory]
    [InlineData("open")]
    [InlineData("")]
    public void Check_VirtualProxyThatAdmitsAnonymousUsers_IsRefused(string prefix)
    {
        var errors = Check(new ConsoleConfig { VirtualProxy = prefix, AdminUsers = ["DEMO\\alice"] });

        ConfigAssert.HasError(errors, "console.virtualProxy", "anonymous access to the console must be impossible");
        ConfigAssert.HasError(errors, "console.virtualProxy", "NoAnonymousUser");
    }

    [Fact]
    public void Check_NoAdmin_AsksForAUserOrGroup()
    {
        var errors = Check(new ConsoleConfig { VirtualProxy = "ticket" });

        ConfigAssert.HasError(errors, "console", "lists no admin");
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("\\alice")]
    [InlineData("DEMO\\")]
    [InlineData("A\\B\\C")]
    [InlineData("")]
    public void Check_AdminUserNotDirectoryBackslashUser_IsRefused(string user)
    {
        var errors = Check(new ConsoleConfig { VirtualProxy = "ticket", AdminUsers = ["DEMO\\alice", user] });

        ConfigAssert.HasNoErrorAt(errors, "console.adminUsers[0]");
        ConfigAssert.HasError(errors, "console.adminUsers[1]", "must be DIRECTORY\\user");
    }

    [Theory]
    [InlineData("ANONYMOUS\\guest", "reserved")]
    [InlineData("DEMO\\al\nice", "DIRECTORY\\user")]
    [InlineData("DEMO\\alice ", "DIRECTORY\\user")]
    public void Check_AdminUserTheIdentityRuleRefuses_IsRefused(string user, string fragment)
    {
        var errors = Check(new ConsoleConfig { VirtualProxy = "ticket", AdminUsers = [user] });

        ConfigAssert.HasError(errors, "console.adminUsers[0]", fragment);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Admins\u200b")]
    public void Check_EmptyOrInvisiblyAlteredGroup_IsRefused(string group)
    {
        var errors = Check(new ConsoleConfig { VirtualProxy = "ticket", AdminGroups = ["PorticoAdmins", group] });

        ConfigAssert.HasNoErrorAt(errors, "console.adminGroups[0]");
        ConfigAssert.HasError(errors, "console.adminGroups[1]", "Group attribute");
    }

    [Fact]
    public void Validate_TheWholeValidatorRunsTheConsoleRules()
    {
        var config = new PorticoConfig { VirtualProxies = [Ticket], Console = new ConsoleConfig { VirtualProxy = "nope" } };

        var errors = new ConfigValidator(ConfigAssert.NonExistentBaseDirectory()).Validate(config);

        ConfigAssert.HasError(errors, "console.virtualProxy", "no virtual proxy");
        ConfigAssert.HasError(errors, "console", "lists no admin");
    }

    private static IReadOnlyList<ConfigError> Check(ConsoleConfig? console)
    {
        var errors = new ConfigErrors();
        new ConsoleRules().Check(new PorticoConfig { VirtualProxies = [Public, Ticket, Open], Console = console }, errors);
        return errors.All;
    }
}
