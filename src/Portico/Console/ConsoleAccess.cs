using Portico.Authentication;
using Portico.Configuration;

// Namespace WebConsole, not Console: a Portico.Console namespace would hide System.Console from every Portico.* file.
namespace Portico.WebConsole;

/// <summary>Whether a signed-in user may use the console, and why (a stable code for the audit log and the JSON answer).</summary>
internal readonly record struct ConsoleVerdict(bool Admitted, string Code, string Reason)
{
    public static ConsoleVerdict Admit(string reason) => new(true, "admin", reason);

    public static ConsoleVerdict Refuse(string code, string reason) => new(false, code, reason);
}

/// <summary>
/// Who gets into the console (docs/console.md, "Who gets in"). Fails closed: anything not listed is refused.
/// </summary>
internal static class ConsoleAccess
{
    /// <summary>The attribute whose values are matched against <see cref="ConsoleConfig.AdminGroups"/>, as Qlik's X-Qlik-Security carries groups.</summary>
    public const string GroupAttribute = "Group";

    public const string NotAnAdmin = "not_an_admin";

    public static ConsoleVerdict Judge(AuthenticatedUser? user, ConsoleConfig? console)
    {
        // 1. No console configured: nobody is an admin.
        if (console is null)
        {
            return ConsoleVerdict.Refuse("console_off", "no console is configured");
        }

        // 2. Nobody signed in. (The challenge step refuses such requests first; this keeps the decision whole.)
        if (user is null)
        {
            return ConsoleVerdict.Refuse("unauthenticated", "no signed-in user");
        }

        // 3. An anonymous visitor is never an admin, whatever the lists say (ConsoleRules also forbids
        //    a console on a virtual proxy that admits anonymous users).
        if (user.IsAnonymous)
        {
            return ConsoleVerdict.Refuse("anonymous", "anonymous users are never administrators");
        }

        // 4. Listed by name: DIRECTORY\user, compared case-insensitively as Qlik compares users.
        var name = user.UserDirectory + "\\" + user.UserId;
        if ((console.AdminUsers ?? []).Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return ConsoleVerdict.Admit("listed in console.adminUsers");
        }

        // 5. Listed by group: one of the session's Group attributes names an admin group.
        var groups = console.AdminGroups ?? [];
        foreach (var (attribute, value) in user.Attributes)
        {
            if (string.Equals(attribute, GroupAttribute, StringComparison.OrdinalIgnoreCase) && value.Length > 0 && groups.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                return ConsoleVerdict.Admit("member of a group in console.adminGroups");
            }
        }

        // 6. Everyone else.
        return ConsoleVerdict.Refuse(NotAnAdmin, "not listed in console.adminUsers and in no group of console.adminGroups");
    }
}
