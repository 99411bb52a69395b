namespace Portico.Sessions;

/// <summary>Hands the forwarder an upgraded (WebSocket) stream that reports activity to the session.</summary>
internal sealed class SessionActivityUpgradeFeature(IHttpUpgradeFeature inner, TimeProvider time, Action onActivity) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => new SessionActivityStream(await inner.UpgradeAsync(), time, onActivity);
}

/// <summary>The same for WebSockets over HTTP/2 (RFC 8441 extended CONNECT).</summary>
internal sealed class SessionActivityExtendedConnectFeature(IHttpExtendedConnectFeature inner, TimeProvider time, Action onActivity) : IHttpExtendedConnectFeature
{
    public bool IsExtendedConnect => inner.IsExtendedConnect;

    public string? Protocol => inner.Protocol;

    public async ValueTask<Stream> AcceptAsync() => new SessionActivityStream(await inner.AcceptAsync(), time, onActivity);
}
