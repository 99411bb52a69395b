using Portico.Http;

namespace Portico.Configuration.Rules;

/// <summary>Prefixes, cookies and engine nodes of each virtual proxy, and what must be unique across them.</summary>
internal sealed class VirtualProxyRules : IConfigRule
{
    // Prefixes that would shadow Portico's own paths or vanish in path normalization.
    private static readonly HashSet<string> ReservedPrefixes = new(StringComparer.Ordinal) { "qps", ".", ".." };

    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        if (config.VirtualProxies.Count == 0)
        {
            errors.Add("virtualProxies", "no virtual proxy is configured; add at least one, e.g. { \"prefix\": \"\", \"loadBalancingServerNodes\": [\"http://127.0.0.1:4747\"] }");
            return;
        }

        var prefixes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var cookieNames = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < config.VirtualProxies.Count; i++)
        {
            var vp = config.VirtualProxies[i];
            var path = $"virtualProxies[{i}]";
            if (vp is null)
            {
                errors.Add(path, "is null; write a virtual proxy object or remove the entry");
                continue;
            }

            CheckPrefix(vp.Prefix, path, errors);
            if (!prefixes.TryAdd(vp.Prefix, i))
            {
                errors.Add($"{path}.prefix", $"\"{vp.Prefix}\" is already used by virtualProxies[{prefixes[vp.Prefix]}]; prefixes must be unique");
            }

            CheckCookie(vp, path, errors);
            CheckCookieNamesUnique(vp, path, i, cookieNames, errors);

            CheckEnums(vp, path, errors);
            CheckNodes(vp, path, errors);
        }
    }

    private static void CheckCookieNamesUnique(VirtualProxyConfig vp, string path, int index, Dictionary<string, int> cookieNames, ConfigErrors errors)
    {
        // A browser sends every cookie whose path matches, so two virtual proxies sharing a name would read each other's sessions.
        if (!string.IsNullOrEmpty(vp.SessionCookieHeaderName) && !cookieNames.TryAdd(vp.SessionCookieHeaderName, index))
        {
            errors.Add($"{path}.sessionCookieHeaderName", $"\"{vp.SessionCookieHeaderName}\" is already used by virtualProxies[{cookieNames[vp.SessionCookieHeaderName]}]; each virtual proxy needs its own cookie name (e.g. \"X-Qlik-Session-{(vp.Prefix.Length > 0 ? vp.Prefix : "default")}\")");
        }
    }

    private static void CheckPrefix(string prefix, string path, ConfigErrors errors)
    {
        if (prefix.Any(char.IsAsciiLetterUpper) && prefix.ToLowerInvariant().All(IsPrefixChar))
        {
            errors.Add($"{path}.prefix", $"\"{prefix}\" must be lowercase; write \"{prefix.ToLowerInvariant()}\"");
        }
        else if (!prefix.All(IsPrefixChar))
        {
            errors.Add($"{path}.prefix", $"\"{prefix}\" may contain only a-z 0-9 - . _ ~ (one path segment, no slashes)");
        }
        else if (ReservedPrefixes.Contains(prefix))
        {
            errors.Add($"{path}.prefix", $"\"{prefix}\" is reserved; choose another prefix");
        }
    }

    private static bool IsPrefixChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~';

    private static void CheckCookie(VirtualProxyConfig vp, string path, ConfigErrors errors)
    {
        if (string.IsNullOrEmpty(vp.SessionCookieHeaderName) || !HttpToken.IsToken(vp.SessionCookieHeaderName))
        {
            errors.Add($"{path}.sessionCookieHeaderName", $"\"{vp.SessionCookieHeaderName}\" is not a cookie name; use letters, digits and - _ . (e.g. \"X-Qlik-Session\")");
        }

        if (vp.SessionCookieDomain is { } domain && !IsCookieDomain(domain))
        {
            errors.Add($"{path}.sessionCookieDomain", $"\"{domain}\" is not a domain; write a bare domain such as \"example.com\" (no scheme, port or path)");
        }

        if (vp.SessionInactivityTimeout is < 1 or > 525_600)
        {
            errors.Add($"{path}.sessionInactivityTimeout", "must be between 1 and 525600 minutes");
        }

        // Browsers drop SameSite=None cookies that are not Secure (and it would weaken CSRF defences).
        if (vp.SameSiteAttributeHttps == CookieSameSite.None && !vp.HasSecureAttributeHttps)
        {
            errors.Add($"{path}.sameSiteAttributeHttps", "SameSite=None (1) requires hasSecureAttributeHttps: true");
        }
    }

    private static bool IsCookieDomain(string domain) =>
        domain.Length > 0
        && Uri.CheckHostName(domain.TrimStart('.')) == UriHostNameType.Dns;

    private static void CheckEnums(VirtualProxyConfig vp, string path, ConfigErrors errors)
    {
        if (!Enum.IsDefined(vp.AuthenticationMethod))
        {
            errors.Add($"{path}.authenticationMethod", $"{(int)vp.AuthenticationMethod} is not a method; use 0 (Ticket), 1 (HeaderStaticUserDirectory), 2 (HeaderDynamicUserDirectory), 3 (SAML), 4 (JWT) or 5 (OIDC)");
        }

        if (!Enum.IsDefined(vp.AnonymousAccessMode))
        {
            errors.Add($"{path}.anonymousAccessMode", $"{(int)vp.AnonymousAccessMode} is not a mode; use 0 (NoAnonymousUser), 1 (AllowAnonymous) or 2 (AlwaysAnonymous)");
        }

        if (!Enum.IsDefined(vp.SameSiteAttributeHttps))
        {
            errors.Add($"{path}.sameSiteAttributeHttps", $"{(int)vp.SameSiteAttributeHttps} is not a SameSite value; use 0 (no attribute), 1 (None), 2 (Lax) or 3 (Strict)");
        }
    }

    private static void CheckNodes(VirtualProxyConfig vp, string path, ConfigErrors errors)
    {
        if (vp.LoadBalancingServerNodes.Count == 0)
        {
            errors.Add($"{path}.loadBalancingServerNodes", "no engine node; add at least one engine URL, e.g. \"http://127.0.0.1:4747\"");
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var n = 0; n < vp.LoadBalancingServerNodes.Count; n++)
        {
            var node = vp.LoadBalancingServerNodes[n];
            if (!EngineUrl.IsValid(node))
            {
                errors.Add($"{path}.loadBalancingServerNodes[{n}]", $"\"{node}\" is not an engine URL; write an absolute http(s) URL such as \"http://engine1:4747\"");
            }
            else if (!seen.Add(node.TrimEnd('/')))
            {
                errors.Add($"{path}.loadBalancingServerNodes[{n}]", $"\"{node}\" is listed twice; list each engine once");
            }
        }
    }
}
