using System.Net;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Functional.Authentication;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.CrossOrigin;

/// <summary>
/// A demo engine behind a real Portico set up as a mashup deployment: virtual proxies with a host
/// allow list and the Access-Control-* lines of Qlik's article, one per credential kind, and one
/// without any allow list. Sessions come from the QPS API, so each test names the cookie it sends.
/// </summary>
public sealed class CrossOriginHost : IAsyncDisposable
{
    /// <summary>Ticket login, no anonymous access: a session cookie is the only way in for a browser.</summary>
    public const string Hub = "hub";

    /// <summary>Bearer JWTs (TestTokens), same allow list.</summary>
    public const string Jwt = "jwt";

    /// <summary>A trusted header from 127.0.0.1: an ambient credential like the cookie.</summary>
    public const string Header = "header";

    public const string HeaderName = "X-Portico-User";

    /// <summary>Anonymous users allowed: a request without a cookie becomes a fresh anonymous login.</summary>
    public const string Anon = "anon";

    /// <summary>No allow list at all: no CORS, and only the proxy's own origin may open a WebSocket.</summary>
    public const string Plain = "plain";

    public const string TokenName = "qlik-csrf-token";

    /// <summary>The lines Qlik's article told admins to write, with two origins in one Access-Control-Allow-Origin line.</summary>
    public const string ArticleHeaders =
        "Access-Control-Allow-Origin: https://a.test, https://b.test\n" +
        "Access-Control-Allow-Credentials: true\n" +
        "Access-Control-Expose-Headers: qlik-csrf-token\n" +
        "X-Content-Type-Options: nosniff";

    public static readonly IReadOnlyList<string> AllowList =
        ["https://app.example.com", "*.example.com", "https://mashup.test", "https://ports.test:8443", "https://*.secure.test"];

    private static readonly string[] AllowedHeaderNetworks = ["127.0.0.1/32", "::1/128"];

    private readonly HttpClient _client;

    private CrossOriginHost(DemoEngineServer engine, PorticoTestHost portico, ManualTimeProvider? time)
    {
        Engine = engine;
        Portico = portico;
        Time = time;
        Api = new QpsApiClient(portico);
        _client = portico.CreateClient();
    }

    public DemoEngineServer Engine { get; }

    public PorticoTestHost Portico { get; }

    /// <summary>Portico's clock when the host was started on virtual time.</summary>
    public ManualTimeProvider? Time { get; }

    /// <summary>Portico's own origin as browsers serialize it.</summary>
    public string OwnOrigin => $"https://localhost:{Portico.HttpsPort}";

    internal QpsApiClient Api { get; }

    /// <param name="time">Virtual time for session expiry; it must start at the real time, as the QPS API judges the client certificate on it.</param>
    public static async Task<CrossOriginHost> StartAsync(ManualTimeProvider? time = null, int idleMinutes = 30)
    {
        var engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        var node = engine.BaseAddress.ToString().TrimEnd('/');
        VirtualProxyConfig Proxy(string prefix) => new()
        {
            Prefix = prefix,
            SessionCookieHeaderName = CookieName(prefix),
            SessionInactivityTimeout = idleMinutes,
            LoadBalancingServerNodes = [node],
            WebsocketCrossOriginWhiteList = AllowList,
            AdditionalResponseHeaders = ArticleHeaders,
        };

        var config = PorticoTestHost.BaseConfig(
            Proxy(Hub),
            Proxy(Jwt) with
            {
                AuthenticationMethod = AuthenticationMethod.Jwt,
                JwtPublicKeyCertificate = TestTokens.PublicKeyPem,
                JwtAttributeUserId = "userId",
                JwtAttributeUserDirectory = "userDirectory",
                JwtAudience = "portico-tests",
            },
            Proxy(Header) with
            {
                AuthenticationMethod = AuthenticationMethod.HeaderStaticUserDirectory,
                HeaderAuthenticationHeaderName = HeaderName,
                HeaderAuthenticationStaticUserDirectory = "DEMO",
                HeaderAuthenticationTrustedNetworks = AllowedHeaderNetworks,
            },
            Proxy(Anon) with { AnonymousAccessMode = AnonymousAccessMode.AllowAnonymous },
            Proxy(Plain) with { WebsocketCrossOriginWhiteList = [], AdditionalResponseHeaders = "" }) with
        {
            Listeners = new ListenersConfig
            {
                Https = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
                Http = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
                QpsApi = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
            },
            QpsApi = new QpsApiConfig { TrustDevelopmentCa = true },
        };
        try
        {
            return new CrossOriginHost(engine, await PorticoTestHost.StartAsync(config, time), time);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    public static string CookieName(string prefix) => "X-Qlik-Session-" + prefix;

    public static string Cookie(string prefix, string sessionId) => $"{CookieName(prefix)}={sessionId}";

    /// <summary>A unique marker to put in a path, so a test can tell whether its request reached the engine.</summary>
    public static string Marker() => "t" + Guid.NewGuid().ToString("N");

    /// <summary>A new session for a new user on <paramref name="prefix"/>, as a back end would create it through the QPS API.</summary>
    public Task<string> NewSessionAsync(string prefix = Hub) => Api.SessionAsync(prefix, "CORP", "u" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>A session and its token, read the way a same-origin Qlik client reads it.</summary>
    public async Task<(string SessionId, string Token)> LoginAsync(string prefix = Hub)
    {
        var sessionId = await NewSessionAsync(prefix);
        return (sessionId, await TokenAsync(prefix, sessionId));
    }

    public Task<string> TokenAsync(string prefix, string sessionId) =>
        _client.CsrfTokenAsync(prefix, r => r.Headers.Add("Cookie", Cookie(prefix, sessionId)));

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _client.SendAsync(request);

    /// <summary>Sends <paramref name="method"/> to <paramref name="target"/> (absolute path) with exactly the given headers.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string target, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, target);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch)
        {
            request.Content = new StringContent("{\"change\":1}", System.Text.Encoding.UTF8, "application/json");
        }

        return _client.SendAsync(request);
    }

    /// <summary>A WebSocket upgrade request as written, on the HTTPS listener; the answer's status and headers.</summary>
    public Task<RawResponse> UpgradeAsync(string target, params (string Name, string Value)[] headers) =>
        RawHttp.SendAsync(Portico.HttpsPort, UpgradeHead(target, Portico.HttpsPort, headers), Portico.CaPath);

    /// <summary>A request as written (one header line per entry, repeats kept), on the HTTPS listener.</summary>
    public Task<RawResponse> RawAsync(string method, string target, params (string Name, string Value)[] headers)
    {
        var head = $"{method} {target} HTTP/1.1\nHost: localhost:{Portico.HttpsPort}\n" + string.Concat(headers.Select(h => $"{h.Name}: {h.Value}\n"));
        return RawHttp.SendAsync(Portico.HttpsPort, head, Portico.CaPath);
    }

    public static string UpgradeHead(string target, int port, IEnumerable<(string Name, string Value)> headers) =>
        $"GET {target} HTTP/1.1\n" +
        $"Host: localhost:{port}\n" +
        "Connection: Upgrade\n" +
        "Upgrade: websocket\n" +
        "Sec-WebSocket-Version: 13\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n" +
        string.Concat(headers.Select(h => $"{h.Name}: {h.Value}\n"));

    /// <summary>Opens a real WebSocket to the engine with the session cookie and waits for OnConnected.</summary>
    public async Task<QixSocket> OpenEngineSocketAsync(string target, string prefix, string sessionId, IReadOnlyDictionary<string, string>? headers = null)
    {
        var cookies = new CookieContainer();
        cookies.Add(Portico.BaseAddress, new Cookie(CookieName(prefix), sessionId));
        var socket = await QixSocket.ConnectAsync(new Uri($"wss://localhost:{Portico.HttpsPort}{target}"), Portico.CaPath, cookies, headers);
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

    /// <summary>Whether any request or upgrade carrying <paramref name="marker"/> in its path or query reached the engine.</summary>
    public bool EngineSaw(string marker) => Engine.Saw(marker);

    public ObservedRequest EngineRequest(string marker) =>
        Assert.Single(Engine.ObservedRequests, r => r.Path.Contains(marker, StringComparison.Ordinal) || r.QueryString.Contains(marker, StringComparison.Ordinal));

    /// <summary>Whether the session still logs in (a same-origin GET of the echo page answers 200).</summary>
    public async Task<bool> IsLiveAsync(string prefix, string sessionId)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/{prefix}/portico-demo/echo", ("Cookie", Cookie(prefix, sessionId)));
        return response.StatusCode == HttpStatusCode.OK;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        Api.Dispose();
        await Portico.DisposeAsync();
        await Engine.DisposeAsync();
    }
}
