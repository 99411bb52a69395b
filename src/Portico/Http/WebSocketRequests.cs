namespace Portico.Http;

/// <summary>
/// Tells WebSocket upgrades apart without a feature lookup that misses on every other request: a
/// request that cannot upgrade (HTTP/1.1 without Upgrade, HTTP/2 without extended CONNECT) gets no
/// WebSocket feature, and a missing feature is looked for through every feature of the request and
/// of its connection, each time it is asked for.
/// </summary>
internal static class WebSocketRequests
{
    /// <summary>
    /// True when the request can be upgraded at all; only these get ASP.NET Core's WebSocket feature.
    /// HTTP/1.1 upgrades with the Upgrade header, HTTP/2 and HTTP/3 with extended CONNECT (RFC 8441,
    /// RFC 9220): each request is asked about its own protocol's way only, because a feature its
    /// protocol does not have is one of those lookups that miss. HTTP/1.0 has no upgrade (see
    /// <see cref="IsHttp10Upgrade"/>, refused in step 1), whatever Kestrel's upgrade feature says.
    /// </summary>
    public static bool MayUpgrade(HttpContext context)
    {
        var protocol = context.Request.Protocol;
        if (HttpProtocol.IsHttp2(protocol) || HttpProtocol.IsHttp3(protocol))
        {
            return context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true };
        }

        return HttpProtocol.IsHttp11(protocol) && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true };
    }

    /// <summary>
    /// An HTTP/1.0 request that asks for an upgrade (to WebSocket or anything else). HTTP/1.0 has no
    /// upgrade mechanism (RFC 9110 7.8: a server must ignore Upgrade in an HTTP/1.0 request), yet
    /// Kestrel offers such a request the upgrade and YARP would tunnel it; it is refused instead,
    /// because ignoring the header would forward to the engine a request its client meant as an upgrade.
    /// </summary>
    public static bool IsHttp10Upgrade(HttpContext context) =>
        HttpProtocol.IsHttp10(context.Request.Protocol) && context.Request.Headers.Upgrade.Count > 0;

    /// <summary>The same answer as <c>context.WebSockets.IsWebSocketRequest</c>, cheaply for requests that cannot upgrade.</summary>
    public static bool IsWebSocket(HttpContext context) => MayUpgrade(context) && context.WebSockets.IsWebSocketRequest;

    /// <summary>
    /// An upgrade to anything but WebSocket. The forwarder would tunnel whatever protocol an engine
    /// accepted, past the checks Portico makes on WebSockets (origin, CSRF token, closing with the
    /// session); engines speak only WebSocket, so such a request is refused instead.
    /// </summary>
    public static bool IsOtherUpgrade(HttpContext context) => MayUpgrade(context) && !context.WebSockets.IsWebSocketRequest;
}
