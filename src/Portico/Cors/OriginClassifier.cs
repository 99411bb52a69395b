using Microsoft.Extensions.Primitives;

namespace Portico.Cors;

/// <summary>Classifies a request's Origin header against the proxy's own origin and the allow list (RFC 6454 exact comparison).</summary>
internal static class OriginClassifier
{
    public static OriginCheck Classify(StringValues originHeader, WebOrigin ownOrigin, OriginAllowList allowList, out WebOrigin? origin) =>
        Classify(originHeader, ownOrigin, allowList, WebOrigin.Parse, out origin);

    /// <param name="parse"><see cref="WebOrigin.Parse"/>, or a cache of its answers.</param>
    public static OriginCheck Classify(StringValues originHeader, WebOrigin ownOrigin, OriginAllowList allowList, Func<string, WebOrigin?> parse, out WebOrigin? origin)
    {
        origin = null;
        if (originHeader.Count == 0)
        {
            return OriginCheck.Absent;
        }

        // Two Origin headers cannot come from a browser; "null" and malformed values fail to parse.
        if (originHeader.Count > 1 || parse(originHeader[0] ?? "") is not { } parsed)
        {
            return OriginCheck.NotAllowed;
        }

        origin = parsed;
        if (parsed == ownOrigin)
        {
            return OriginCheck.SameOrigin;
        }

        return allowList.Allows(parsed) ? OriginCheck.Allowed : OriginCheck.NotAllowed;
    }

    /// <summary>The origin browsers see for this proxy: https on the configured public host.</summary>
    public static WebOrigin OwnOrigin(string publicHost, int httpsPort)
    {
        var hasPort = publicHost.LastIndexOf(':') > publicHost.LastIndexOf(']');
        var value = hasPort ? "https://" + publicHost : $"https://{publicHost}:{httpsPort}";
        return WebOrigin.Parse(value) ?? new WebOrigin("https", publicHost.ToLowerInvariant(), httpsPort);
    }
}
