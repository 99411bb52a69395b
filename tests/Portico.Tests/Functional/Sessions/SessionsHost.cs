using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// A demo engine behind a real Portico whose QPS API trusts the development client certificate, with
/// session expiry on a virtual clock. Requests name the session cookie they carry explicitly, as a
/// browser would send it, so each test states exactly which id it presents.
/// </summary>
public sealed class SessionsHost : IAsyncDisposable
{
    public const string EchoPath = "portico-demo/echo";

    private readonly HttpClient _client;

    private SessionsHost(DemoEngineServer engine, PorticoTestHost portico, ManualTimeProvider time)
    {
        Engine = engine;
        Portico = portico;
        Time = time;
        Api = new SessionApiClient(portico);
        _client = portico.CreateClient();
    }

    public DemoEngineServer Engine { get; }

    public PorticoTestHost Portico { get; }

    /// <summary>Portico's clock: session lifetimes and the expiry sweep run on it; Kestrel and the sockets do not.</summary>
    public ManualTimeProvider Time { get; }

    public SessionApiClient Api { get; }

    public static async Task<SessionsHost> StartAsync(Func<Uri, IEnumerable<VirtualProxyConfig>> virtualProxies, SessionsConfig? sessions = null, ClientLimitsConfig? clientLimits = null, Func<PorticoConfig, PorticoConfig>? configure = null)
    {
        var engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        // Starts at the real time: the development certificates are made on the real clock, and the QPS
        // API judges the client certificate's validity on Portico's clock.
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var config = PorticoTestHost.BaseConfig([.. virtualProxies(engine.BaseAddress)]) with
        {
            Listeners = new ListenersConfig
            {
                Https = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
                Http = null,
                QpsApi = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
            },
            QpsApi = new QpsApiConfig { TrustDevelopmentCa = true },
            Sessions = sessions ?? new SessionsConfig(),
            ClientLimits = clientLimits ?? new ClientLimitsConfig(),
        };
        try
        {
            return new SessionsHost(engine, await PorticoTestHost.StartAsync(configure?.Invoke(config) ?? config, time), time);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    /// <summary>A ticket-method virtual proxy without anonymous access: a request without a live session gets 401.</summary>
    public static VirtualProxyConfig LoginRequired(string prefix, Uri engine) => new()
    {
        Prefix = prefix,
        SessionCookieHeaderName = CookieName(prefix),
        AuthenticationMethod = AuthenticationMethod.Ticket,
        AnonymousAccessMode = AnonymousAccessMode.NoAnonymousUser,
        LoadBalancingServerNodes = [engine.ToString().TrimEnd('/')],
    };

    /// <summary>A ticket-method virtual proxy that logs an anonymous user in when no credential is sent.</summary>
    public static VirtualProxyConfig AllowsAnonymous(string prefix, Uri engine) =>
        LoginRequired(prefix, engine) with { AnonymousAccessMode = AnonymousAccessMode.AllowAnonymous };

    public static string CookieName(string prefix) => "X-Qlik-Session-" + prefix;

    /// <summary>43 characters of base64url, the shape of the ids Portico issues, so only the session lookup can refuse it.</summary>
    public static string NeverIssuedId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Sends <paramref name="request"/> to Portico's HTTPS listener; paths are relative (no leading slash).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _client.SendAsync(request);

    /// <summary>GET of a path with the given raw Cookie header (null sends none).</summary>
    public Task<HttpResponseMessage> GetAsync(string path, string? cookieHeader = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookieHeader is not null)
        {
            request.Headers.Add("Cookie", cookieHeader);
        }

        return _client.SendAsync(request);
    }

    /// <summary>GET of the engine's echo page on <paramref name="prefix"/> carrying <paramref name="sessionId"/> as that virtual proxy's session cookie.</summary>
    public Task<HttpResponseMessage> EchoAsync(string prefix, string? sessionId) =>
        GetAsync($"{prefix}/{EchoPath}", sessionId is null ? null : $"{CookieName(prefix)}={sessionId}");

    public async Task<HttpStatusCode> EchoStatusAsync(string prefix, string? sessionId)
    {
        using var response = await EchoAsync(prefix, sessionId);
        return response.StatusCode;
    }

    /// <summary>The X-Qlik-User Portico sent to the engine for a request with this session.</summary>
    public async Task<string> EchoedUserAsync(string prefix, string sessionId)
    {
        using var response = await EchoAsync(prefix, sessionId);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"echo answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("headers").GetProperty("x-qlik-user").GetString()!;
    }

    /// <summary>The session's qlik-csrf-token, read as a Qlik client does before it opens the engine socket.</summary>
    public Task<string> CsrfTokenAsync(string prefix, string sessionId) =>
        _client.CsrfTokenAsync(prefix, request => request.Headers.Add("Cookie", $"{CookieName(prefix)}={sessionId}"));

    /// <summary>
    /// Opens /{prefix}/app/engineData with the session cookie and its CSRF token, and waits for the
    /// engine's OnConnected, so the socket is known to be tunnelled through to the engine.
    /// </summary>
    public async Task<QixSocket> OpenEngineSocketAsync(string prefix, string sessionId)
    {
        var token = await CsrfTokenAsync(prefix, sessionId);
        var socket = await ConnectEngineSocketAsync(prefix, sessionId, token);
        try
        {
            await socket.WaitForNotificationAsync("OnConnected");
            return socket;
        }
        catch
        {
            await socket.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The same engine socket over HTTP/2 (RFC 8441 extended CONNECT), which Portico tunnels through
    /// another code path than HTTP/1.1's Upgrade; returns once the engine's OnConnected has arrived.
    /// </summary>
    public async Task<ClientWebSocket> OpenHttp2EngineSocketAsync(string prefix, string sessionId)
    {
        var token = await CsrfTokenAsync(prefix, sessionId);
        var socket = new ClientWebSocket();
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Cookie", $"{CookieName(prefix)}={sessionId}");
        socket.Options.SetRequestHeader("qlik-csrf-token", token);
        var handler = new SocketsHttpHandler { UseCookies = false };
        handler.SslOptions.RemoteCertificateValidationCallback = TlsTrust.For(Portico.CaPath);
        using var invoker = new HttpMessageInvoker(handler);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await socket.ConnectAsync(new Uri($"wss://localhost:{Portico.HttpsPort}/{prefix}/app/engineData"), invoker, timeout.Token);

            // Extended CONNECT answers 200 where an HTTP/1.1 upgrade answers 101.
            Assert.Equal(HttpStatusCode.OK, socket.HttpStatusCode);
            // Portico's OnAuthenticationInformation comes first, then the engine's OnConnected.
            var buffer = new byte[4096];
            var first = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.Contains("OnAuthenticationInformation", System.Text.Encoding.UTF8.GetString(buffer, 0, first.Count), StringComparison.Ordinal);
            var second = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.Contains("OnConnected", System.Text.Encoding.UTF8.GetString(buffer, 0, second.Count), StringComparison.Ordinal);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Portico records socket traffic as session activity just after it writes a frame, at the clock's
    /// time of that moment, and the engine's OnConnected can reach the client a moment before. One
    /// virtual second (below the 5-second activity throttle) and a round trip that touches no session
    /// let such a late record land harmlessly before a test moves the clock by minutes.
    /// </summary>
    public async Task SettleSocketActivityAsync(string prefix, string sessionId)
    {
        Advance(TimeSpan.FromSeconds(1));
        using var lookup = await Api.GetSessionAsync(prefix, sessionId);
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
    }

    /// <summary>Opens /{prefix}/app/engineData with whatever cookie and token it is given, and waits for nothing.</summary>
    public Task<QixSocket> ConnectEngineSocketAsync(string prefix, string? sessionId, string? csrfToken)
    {
        var cookies = new CookieContainer();
        if (sessionId is not null)
        {
            cookies.Add(Portico.BaseAddress, new Cookie(CookieName(prefix), sessionId));
        }

        var headers = csrfToken is null ? null : new Dictionary<string, string> { ["qlik-csrf-token"] = csrfToken };
        return QixSocket.ConnectAsync(new Uri($"wss://localhost:{Portico.HttpsPort}/{prefix}/app/engineData"), Portico.CaPath, cookies, headers);
    }

    /// <summary>
    /// Tries an engine socket with the given cookie and token and asserts it got nowhere: refused at the
    /// upgrade, or accepted only to be told to authenticate (Qlik's answer) and closed. Either way the
    /// engine has seen no WebSocket at all.
    /// </summary>
    public async Task AssertSocketRefusedAsync(string prefix, string? sessionId, string? csrfToken)
    {
        QixSocket socket;
        try
        {
            socket = await ConnectEngineSocketAsync(prefix, sessionId, csrfToken);
        }
        catch (WebSocketException)
        {
            Assert.DoesNotContain(Engine.ObservedRequests, r => r.IsWebSocket);
            return;
        }

        await using (socket)
        {
            var notification = await socket.WaitForNotificationAsync("OnAuthenticationInformation");
            Assert.True(notification.GetProperty("params").GetProperty("mustAuthenticate").GetBoolean(), notification.ToString());
            Assert.True(await socket.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "the refused socket was not closed");
        }

        Assert.DoesNotContain(Engine.ObservedRequests, r => r.IsWebSocket);
    }

    /// <summary>The browser's logout, DELETE /{prefix}/qps/user, as the same-origin fetch of a Qlik client sends it.</summary>
    public Task<HttpResponseMessage> LogoutAsync(string prefix, string sessionId, string secFetchSite = "same-origin")
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"{prefix}/qps/user");
        request.Headers.Add("Cookie", $"{CookieName(prefix)}={sessionId}");
        request.Headers.Add("Sec-Fetch-Site", secFetchSite);
        return _client.SendAsync(request);
    }

    /// <summary>Moves Portico's clock; the expiry sweep, due every few virtual seconds, runs once on the thread pool.</summary>
    public void Advance(TimeSpan by) => Time.Advance(by);

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        Api.Dispose();
        await Portico.DisposeAsync();
        await Engine.DisposeAsync();
    }
}
