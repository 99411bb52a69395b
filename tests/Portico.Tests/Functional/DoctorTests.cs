using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Doctor;
using Portico.Tests.Functional.Authentication;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary><c>portico doctor</c> against a real Portico: a healthy mashup setup passes, a broken one is named.</summary>
public sealed class DoctorTests : IAsyncLifetime
{
    private const string Mashup = "https://mashup.test";
    private DemoEngineServer _engine = null!;
    private PorticoTestHost _portico = null!;

    public async Task InitializeAsync()
    {
        _engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        var config = PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("good", _engine.BaseAddress) with
            {
                AnonymousAccessMode = AnonymousAccessMode.NoAnonymousUser,
                WebsocketCrossOriginWhiteList = [Mashup],
            },
            PorticoTestHost.AnonymousProxy("closed", _engine.BaseAddress) with { AnonymousAccessMode = AnonymousAccessMode.NoAnonymousUser }) with
        {
            Listeners = new ListenersConfig
            {
                Https = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
                Http = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
                QpsApi = new ListenerConfig { Address = "127.0.0.1", Port = 0 },
            },
            QpsApi = new QpsApiConfig { TrustDevelopmentCa = true },
        };
        _portico = await PorticoTestHost.StartAsync(config);
    }

    public async Task DisposeAsync()
    {
        await _portico.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task Doctor_WellConfiguredMashupProxy_PassesEveryCheck()
    {
        using var api = new QpsApiClient(_portico);
        var sessionId = await api.SessionAsync("good", "CORP", "alice");

        var checks = await Doctor("good", $"X-Qlik-Session-good={sessionId}").RunAsync(CancellationToken.None);

        Assert.All(checks, c => Assert.True(c.Verdict == DoctorVerdict.Pass, c.ToString()));
        Assert.Contains(checks, c => c.Name == "WebSocket with token");
        Assert.Contains(checks, c => c.Name == "WebSocket from a stranger");
    }

    [Fact]
    public async Task Doctor_OriginMissingFromTheAllowList_FailsCorsAndTheWebSocket()
    {
        using var api = new QpsApiClient(_portico);
        var sessionId = await api.SessionAsync("closed", "CORP", "alice");

        var checks = await Doctor("closed", $"X-Qlik-Session-closed={sessionId}").RunAsync(CancellationToken.None);

        Assert.Equal(DoctorVerdict.Fail, checks.Single(c => c.Name == "CORS preflight").Verdict);
        Assert.Contains("websocketCrossOriginWhiteList", checks.Single(c => c.Name == "CORS preflight").Detail, StringComparison.Ordinal);
        Assert.Equal(DoctorVerdict.Fail, checks.Single(c => c.Name == "CORS headers").Verdict);
        Assert.Equal(DoctorVerdict.Fail, checks.Single(c => c.Name == "WebSocket with token").Verdict);
        Assert.Equal(DoctorVerdict.Pass, checks.Single(c => c.Name == "WebSocket from a stranger").Verdict);
    }

    [Fact]
    public void CommandLine_Doctor_ParsesItsOptions()
    {
        var parsed = Portico.Hosting.CommandLine.Parse(["doctor", "--url", "https://q.example.com/sales/", "--origin", Mashup, "--http-port", "8080"]);

        Assert.Equal(Portico.Hosting.Command.Doctor, parsed.Command);
        Assert.Equal(Mashup, parsed.Doctor!.Origin);
        Assert.Equal(8080, parsed.Doctor.HttpPort);
        Assert.NotNull(Portico.Hosting.CommandLine.Parse(["doctor", "--url", "http://plain/"]).Error);
    }

    private DeploymentDoctor Doctor(string prefix, string cookie) => new(new DoctorOptions
    {
        VirtualProxyUrl = new Uri($"https://localhost:{_portico.HttpsPort}/{prefix}/"),
        Origin = Mashup,
        CaFile = _portico.CaPath,
        Cookie = cookie,
        HttpPort = _portico.HttpPort,
    });
}
