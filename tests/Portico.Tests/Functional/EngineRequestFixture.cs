using Portico.DemoEngine;
using Portico.Tests.Functional.Sessions;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>
/// One demo engine behind a Portico with three always-anonymous virtual proxies: the default one
/// ("") and "a" and "b", each with its own session cookie, under a public host that is not what
/// clients send in Host.
/// </summary>
public sealed class EngineRequestFixture : IAsyncLifetime
{
    public const string PublicHost = "bi.example.test";

    public DemoEngineServer Engine { get; private set; } = null!;

    public PorticoTestHost Portico { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        Portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("", Engine.BaseAddress),
            PorticoTestHost.AnonymousProxy("a", Engine.BaseAddress),
            PorticoTestHost.AnonymousProxy("b", Engine.BaseAddress)) with { PublicHost = PublicHost });
    }

    public async Task DisposeAsync()
    {
        await Portico.DisposeAsync();
        await Engine.DisposeAsync();
    }

    public static string CookieName(string prefix) => "X-Qlik-Session" + (prefix.Length == 0 ? "" : "-" + prefix);

    /// <summary>Sends a request exactly as written to Portico's HTTPS listener.</summary>
    public Task<RawResponse> SendAsync(string requestHead) => RawHttp.SendAsync(Portico.HttpsPort, requestHead, Portico.CaPath);

    /// <summary>A new anonymous session on <paramref name="prefix"/>: the id its cookie carries.</summary>
    public async Task<string> NewSessionAsync(string prefix)
    {
        var response = await SendAsync($"GET /{prefix}/portico-demo/echo HTTP/1.1\nHost: localhost\n");
        Assert.Equal(200, response.Status);
        return Assert.Single(response.All("Set-Cookie").Select(SetCookieHeader.Parse), c => c.Name == CookieName(prefix)).Value;
    }
}
