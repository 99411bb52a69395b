using Portico.Authentication;
using Portico.Configuration;
using Portico.WebConsole;

namespace Portico.Tests.Unit.WebConsole;

/// <summary>ConsoleAccess.Judge: who is an admin of the console, failing closed.</summary>
public sealed class ConsoleAccessTests
{
    private static readonly ConsoleConfig Console = new() { VirtualProxy = "ticket", AdminUsers = ["DEMO\\alice"], AdminGroups = ["PorticoAdmins"] };

    [Theory]
    [InlineData("DEMO", "alice")]
    [InlineData("demo", "ALICE")]
    public void Judge_ListedUser_AnyCase_IsAdmitted(string directory, string user)
    {
        Assert.True(ConsoleAccess.Judge(new AuthenticatedUser(directory, user), Console).Admitted);
    }

    [Theory]
    [InlineData("Group", "PorticoAdmins")]
    [InlineData("group", "porticoadmins")]
    public void Judge_MemberOfAListedGroup_IsAdmitted(string attribute, string value)
    {
        var user = new AuthenticatedUser("CORP", "carol") { Attributes = [new("email", "c@example.test"), new(attribute, value)] };

        Assert.True(ConsoleAccess.Judge(user, Console).Admitted);
    }

    [Theory]
    [InlineData("OTHER", "alice")]
    [InlineData("DEMO", "alice2")]
    [InlineData("DEMO", "bob")]
    public void Judge_UnlistedUser_IsRefusedAsNotAnAdmin(string directory, string user)
    {
        var verdict = ConsoleAccess.Judge(new AuthenticatedUser(directory, user), Console);

        Assert.False(verdict.Admitted);
        Assert.Equal("not_an_admin", verdict.Code);
    }

    [Fact]
    public void Judge_GroupNameInAnotherAttribute_OrAnotherGroup_IsRefused()
    {
        var user = new AuthenticatedUser("CORP", "dave") { Attributes = [new("Role", "PorticoAdmins"), new("Group", "Sales"), new("Group", "")] };

        Assert.Equal("not_an_admin", ConsoleAccess.Judge(user, Console).Code);
    }

    [Fact]
    public void Judge_NoUser_IsRefused()
    {
        Assert.Equal("unauthenticated", ConsoleAccess.Judge(null, Console).Code);
    }

    [Fact]
    public void Judge_AnonymousUser_IsRefusedEvenWhenListed()
    {
        var listed = Console with { AdminUsers = ["ANONYMOUS\\guest"], AdminGroups = ["Everyone"] };
        var user = new AuthenticatedUser(AuthenticatedUser.AnonymousDirectory, "guest") { Attributes = [new("Group", "Everyone")] };

        Assert.Equal("anonymous", ConsoleAccess.Judge(user, listed).Code);
    }

    [Fact]
    public void Judge_NoConsole_OrEmptyLists_RefusesEveryone()
    {
        var alice = new AuthenticatedUser("DEMO", "alice") { Attributes = [new("Group", "PorticoAdmins")] };

        Assert.Equal("console_off", ConsoleAccess.Judge(alice, null).Code);
        Assert.Equal("not_an_admin", ConsoleAccess.Judge(alice, new ConsoleConfig { VirtualProxy = "ticket" }).Code);
    }
}
