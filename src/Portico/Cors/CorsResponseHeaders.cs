using Microsoft.Net.Http.Headers;

namespace Portico.Cors;

/// <summary>Writes the CORS headers of one response. Engine-sent CORS headers are dropped first: Portico alone answers cross-origin questions.</summary>
internal static class CorsResponseHeaders
{
    public static void Apply(IHeaderDictionary headers, CorsPolicy policy, CorsFeature? allowed)
    {
        headers.Remove(HeaderNames.AccessControlAllowOrigin);
        headers.Remove(HeaderNames.AccessControlAllowCredentials);
        headers.Remove(HeaderNames.AccessControlExposeHeaders);
        if (!policy.IsEnabled)
        {
            return;
        }

        // Responses differ by Origin, so caches must key on it, allowed origin or not.
        AddVaryOrigin(headers);
        if (allowed is null)
        {
            return;
        }

        headers.AccessControlAllowOrigin = allowed.AllowedOrigin.ToString();
        headers.AccessControlAllowCredentials = "true";
        headers.AccessControlExposeHeaders = policy.ExposeHeaders;
    }

    public static void ApplyPreflight(IHeaderDictionary headers, CorsPolicy policy, WebOrigin origin)
    {
        AddVaryOrigin(headers);
        headers.AccessControlAllowOrigin = origin.ToString();
        headers.AccessControlAllowCredentials = "true";
        headers.AccessControlAllowMethods = policy.AllowMethods;
        headers.AccessControlAllowHeaders = policy.AllowHeaders;
        headers.AccessControlMaxAge = policy.MaxAge;
    }

    private static void AddVaryOrigin(IHeaderDictionary headers)
    {
        var vary = headers.Vary.ToString();
        if (!vary.Split(',', StringSplitOptions.TrimEntries).Any(v => v.Equals("Origin", StringComparison.OrdinalIgnoreCase) || v == "*"))
        {
            headers.Vary = vary.Length == 0 ? "Origin" : vary + ", Origin";
        }
    }
}
