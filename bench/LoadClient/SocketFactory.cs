using System.Net.WebSockets;
using Portico.Bench.Shared;

namespace Portico.Bench.LoadClient;

/// <summary>
/// Opens client WebSockets and logs in first when the target is Portico. One handler is shared by
/// every socket: an upgraded HTTP/1.1 connection leaves the pool, so sharing costs nothing and
/// spares a handler per socket.
/// </summary>
internal sealed class SocketFactory : IDisposable
{
    private readonly ClientOptions _options;
    private readonly HttpMessageInvoker _upgrades;
    private readonly HttpClient _http;
    private readonly PorticoLogin? _login;

    public SocketFactory(ClientOptions options)
    {
        _options = options;
        _upgrades = new HttpMessageInvoker(LoopbackHandler.Create());
        _http = new HttpClient(LoopbackHandler.Create()) { Timeout = TimeSpan.FromSeconds(30) };
        _login = options.Login is { } login ? new PorticoLogin(_http, login, options.Origin) : null;
    }

    public Task<Credentials> LoginAsync(CancellationToken cancellationToken) =>
        _login is null ? Task.FromResult(Credentials.None) : _login.LoginAsync(cancellationToken);

    /// <summary>
    /// Closes the keep-alive connections the logins used, as a browser does once its page has
    /// loaded: what the proxy still holds afterwards is sessions, not idle HTTP connections.
    /// </summary>
    public void EndLogins() => _http.Dispose();

    public async Task<ClientWebSocket> ConnectAsync(Credentials credentials, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        // Browsers do not ping; a ping would also be traffic on the sockets meant to be idle.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", _options.Origin);
        if (credentials.CookieHeader is { } cookies)
        {
            socket.Options.SetRequestHeader("Cookie", cookies);
        }

        var url = credentials.CsrfToken is { } token
            ? new Uri(_options.Url + (string.IsNullOrEmpty(_options.Url.Query) ? "?" : "&") + PorticoLogin.CsrfHeader + "=" + Uri.EscapeDataString(token))
            : _options.Url;
        try
        {
            await socket.ConnectAsync(url, _upgrades, cancellationToken);
            return socket;
        }
        catch (WebSocketException ex) when (socket.HttpStatusCode != 0)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new WebSocketException($"upgrade refused with HTTP {(int)status}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _upgrades.Dispose();
        _http.Dispose();
    }
}
