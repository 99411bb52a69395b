using Portico.DemoEngine.Identity;

namespace Portico.DemoEngine.Tests;

internal static class Users
{
    public static readonly QlikUser Alice = new("CORP", "alice");

    public static readonly QlikUser Anonymous = new("ANONYMOUS", "guest-1");

    public const string AliceHeader = "UserDirectory=CORP; UserId=alice";
}
