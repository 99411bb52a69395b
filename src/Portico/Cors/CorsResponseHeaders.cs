using Microsoft.Net.Http.Headers;

namespace Portico.Cors;

/// <summary>Writes the CORS headers of one response. Engine-sent CORS headers are dropped first: Portico alone answers cross-origin questions.</summary>
internal static class CorsResponseHeaders
{
    public static void Apply(IHeaderDictionary headers, CorsPolicy policy, string? allowedOrigin)
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
        if (allowedOrigin is null)
        {
            return;
        }

        headers.AccessControlAllowOrigin = allowedOrigin;
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
        // Read in place: this runs for every response of a virtual proxy that does CORS.
        var vary = headers.Vary;
        foreach (var value in vary)
        {
            foreach (var range in value.AsSpan().Split(','))
            {
                var token = value.AsSpan(range).Trim();
                if (token.Equals("Origin", StringComparison.OrdinalIgnoreCase) || token is "*")
                {
                    return;
                }
            }
        }

        var current = vary.ToString();
        headers.Vary = current.Length == 0 ? "Origin" : current + ", Origin";
    }
}
