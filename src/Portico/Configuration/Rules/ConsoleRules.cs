using Portico.Authentication;

namespace Portico.Configuration.Rules;

/// <summary>
/// The web console (docs/console.md): it names a virtual proxy that exists and never admits anonymous
/// users (anonymous access to the console must be impossible), and at least one admin.
/// </summary>
internal sealed class ConsoleRules : IConfigRule
{
    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        if (config.Console is not { } console)
        {
            return;
        }

        CheckVirtualProxy(config, console.VirtualProxy, errors);

        var users = console.AdminUsers ?? [];
        var groups = console.AdminGroups ?? [];
        if (users.Count == 0 && groups.Count == 0)
        {
            errors.Add("console", "lists no admin: add \"adminUsers\": [\"DIRECTORY\\\\user\"] or \"adminGroups\": [\"group\"], or leave \"console\" out");
        }

        for (var i = 0; i < users.Count; i++)
        {
            if (UserProblem(users[i]) is { } problem)
            {
                errors.Add($"console.adminUsers[{i}]", problem);
            }
        }

        for (var i = 0; i < groups.Count; i++)
        {
            var problem = string.IsNullOrEmpty(groups[i]) ? "is empty" : UserIdentityRule.CheckAttributeValue(groups[i], "the group name").Reason;
            if (problem is not null)
            {
                errors.Add($"console.adminGroups[{i}]", problem + "; write the group name as the login's Group attribute carries it");
            }
        }
    }

    private static void CheckVirtualProxy(PorticoConfig config, string? prefix, ConfigErrors errors)
    {
        const string Path = "console.virtualProxy";
        var known = (config.VirtualProxies ?? []).Where(vp => vp is not null).ToList();
        var choices = string.Join(", ", known.Where(vp => vp.AnonymousAccessMode == AnonymousAccessMode.NoAnonymousUser).Select(vp => $"\"{vp.Prefix}\""));
        if (prefix is null)
        {
            errors.Add(Path, $"is required: the prefix of the virtual proxy whose login admins use{(choices.Length > 0 ? $", one of {choices}" : "")}");
            return;
        }

        var index = known.FindIndex(vp => string.Equals(vp.Prefix, prefix, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            errors.Add(Path, $"no virtual proxy has the prefix \"{prefix}\"; name a configured one{(choices.Length > 0 ? $" ({choices})" : "")}");
            return;
        }

        var mode = known[index].AnonymousAccessMode;
        if (mode != AnonymousAccessMode.NoAnonymousUser)
        {
            errors.Add(Path, $"virtual proxy \"{prefix}\" has anonymousAccessMode {mode}, and anonymous access to the console must be impossible: "
                + "set its anonymousAccessMode to NoAnonymousUser (0), or name a virtual proxy that requires a login");
        }
    }

    private static string? UserProblem(string? user)
    {
        const string Form = "write DIRECTORY\\user (in JSON, \"DEMO\\\\alice\")";
        var separator = user?.IndexOf('\\') ?? -1;
        if (string.IsNullOrEmpty(user) || separator <= 0 || separator == user.Length - 1 || user.IndexOf('\\', separator + 1) >= 0)
        {
            return $"must be DIRECTORY\\user: {Form}";
        }

        var check = UserIdentityRule.CheckUser(user[..separator], "its directory", user[(separator + 1)..], "its user id");
        return check.IsValid ? null : $"{check.Reason}; {Form}";
    }
}
