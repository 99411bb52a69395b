using System.Net;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.Engines;

/// <summary>
/// A reload that changes a virtual proxy's engine connection takes effect for the next request: the
/// forwarder gets a new connection pool, so an open connection made with the old certificate is not
/// reused under the new settings.
/// </summary>
public sealed class EngineConnectionReloadTests : IAsyncLifetime
{
    private readonly QlikCertificateFiles _certificates = new();
    private DemoEngineServer _engine = null!;
    private PorticoTestHost _portico = null!;

    public async Task InitializeAsync()
    {
        _engine = await DemoEngineServer.StartAsync(new DemoEngineOptions
        {
            Url = "https://127.0.0.1:0",
            ServerCertificate = _certificates.Server,
            ClientCertificateAuthority = _certificates.Root,
        });
        _portico = await PorticoTestHost.StartAsync(Config(Qlik()));
    }

    public async Task DisposeAsync()
    {
        await _portico.DisposeAsync();
        await _engine.DisposeAsync();
        _certificates.Dispose();
    }

    [Fact]
    public async Task Reload_ImpostorClientCertificateAfterAWorkingOne_IsRefusedDespiteTheOpenConnection()
    {
        using var client = _portico.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/portico-demo/echo/before")).StatusCode);

        await _portico.ReloadAsync(Config(Qlik() with { ClientCertificatePath = _certificates.ImpostorClientPath, ClientKeyPath = _certificates.ImpostorClientKeyPath }));
        var marker = "after-" + Guid.NewGuid().ToString("n");
        var refused = await client.GetAsync($"/portico-demo/echo/{marker}");

        Assert.True((int)refused.StatusCode is 502 or 503, $"status {(int)refused.StatusCode}");
        Assert.False(_engine.Saw(marker));

        await _portico.ReloadAsync(Config(Qlik() with { TrustedRootPath = null, DangerouslyAcceptAnyServerCertificate = true }));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/portico-demo/echo/accept-any")).StatusCode);
        Assert.Contains(_portico.Logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("engineConnection.dangerouslyAcceptAnyServerCertificate is true", StringComparison.Ordinal));
    }

    private EngineConnectionConfig Qlik() => new()
    {
        ClientCertificatePath = _certificates.ClientCertificatePath,
        ClientKeyPath = _certificates.ClientKeyPath,
        TrustedRootPath = _certificates.RootPath,
    };

    private PorticoConfig Config(EngineConnectionConfig connection) =>
        PorticoTestHost.BaseConfig(PorticoTestHost.AnonymousProxy("", _engine.BaseAddress)) with { EngineConnection = connection };
}
