using System.Net;
using System.Text.Json;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Functional.Authentication.Oidc;
using Portico.Tests.Support;
using Portico.TestSupport;

namespace Portico.Tests.Functional.Cluster;

/// <summary>Two cluster nodes with one OIDC virtual proxy, behind no load balancer: the test's browser picks the node of every request.</summary>
public sealed class ClusterOidcFixture : IAsyncLifetime
{
    public OidcTestPki Pki { get; } = new();

    public DemoEngineServer Engine { get; private set; } = null!;

    public FakeOidcProvider Provider { get; private set; } = null!;

    public PorticoTestHost A { get; private set; } = null!;

    public PorticoTestHost B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        Provider = await FakeOidcProvider.StartAsync(Pki.Server);
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync("oidc-nodes");
        var nodes = await Task.WhenAll(new[] { "a", "b" }.Select(name => PorticoTestHost.StartAsync(Config(name, database))));
        (A, B) = (nodes[0], nodes[1]);
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await Provider.DisposeAsync();
        await Engine.DisposeAsync();
        Pki.Dispose();
    }

    /// <summary>A browser that trusts both nodes' CAs and the provider's, with one cookie jar for all (cookies do not look at ports).</summary>
    public HttpClient Browser(CookieContainer cookies)
    {
        var trusted = new[] { TlsTrust.For(A.CaPath), TlsTrust.For(B.CaPath), TlsTrust.For(Pki.CaPath) };
        return new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = cookies,
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (s, c, ch, e) => trusted.Any(t => t(s, c, ch, e)) },
        })
        { Timeout = TimeSpan.FromSeconds(20) };
    }

    private PorticoConfig Config(string node, string database) => PorticoTestHost.BaseConfig(new VirtualProxyConfig
    {
        Prefix = "sso",
        SessionCookieHeaderName = "X-Qlik-Session-sso",
        LoadBalancingServerNodes = [Engine.BaseAddress.ToString().TrimEnd('/')],
        AuthenticationMethod = AuthenticationMethod.Oidc,
        OidcRealm = "IDP",
        OidcTrustedCaFile = Pki.CaPath,
        OidcConfigurationEndpointUri = Provider.DiscoveryUrl,
        OidcClientId = FakeOidcProvider.ClientId,
        OidcClientSecret = "fake-secret",
    }) with
    {
        Listeners = new ListenersConfig { Https = new ListenerConfig { Address = "127.0.0.1", Port = 0 }, Http = null, QpsApi = null },
        Cluster = new ClusterModeConfig { NodeName = "oidc-" + node, Postgres = database, ChangePollSeconds = 1 },
    };
}

/// <summary>
/// An OIDC login started on one node completes on another (the provider may send the browser back
/// to any node behind the load balancer), and its callback cannot be replayed on either.
/// </summary>
public sealed class ClusterOidcLoginTests(ClusterOidcFixture cluster) : IClassFixture<ClusterOidcFixture>
{
    [Fact]
    public async Task LoginStartedOnA_CallbackOnB_LogsInOnEveryNode_AndTheCallbackIsNotReplayable()
    {
        var cookies = new CookieContainer();
        using var browser = cluster.Browser(cookies);
        var start = await browser.GetAsync(new Uri(cluster.A.BaseAddress, "sso/oidc/login"));
        Assert.Equal(HttpStatusCode.Found, start.StatusCode);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(start.Headers.Location!.Query);
        cluster.Provider.NextIdToken = cluster.Provider.Token(query["nonce"].ToString());
        var callback = $"sso/oidc/callback?code={Guid.NewGuid():n}&state={query["state"]}";

        using (var completed = await browser.GetAsync(new Uri(cluster.B.BaseAddress, callback)))
        {
            Assert.True(completed.StatusCode == HttpStatusCode.Found, $"{(int)completed.StatusCode}: {await completed.Content.ReadAsStringAsync()}");
        }

        foreach (var node in new[] { cluster.A, cluster.B })
        {
            using var user = JsonDocument.Parse(await browser.GetStringAsync(new Uri(node.BaseAddress, "sso/qps/user")));
            Assert.Equal("mallory", user.RootElement.GetProperty("userId").GetString());
        }

        foreach (var node in new[] { cluster.A, cluster.B })
        {
            using var replayed = await browser.GetAsync(new Uri(node.BaseAddress, callback));
            Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
            using var body = JsonDocument.Parse(await replayed.Content.ReadAsStringAsync());
            Assert.Equal("state_unknown", body.RootElement.GetProperty("code").GetString());
        }
    }
}
