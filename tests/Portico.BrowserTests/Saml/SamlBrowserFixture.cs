using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Portico.DemoEngine;
using Portico.Samples;
using Portico.TestSupport;

namespace Portico.BrowserTests.Saml;

/// <summary>
/// Portico (as a process) with a SAML virtual proxy on https://proxy.test:{port}, samlify's identity
/// provider under node on http://127.0.0.1:{port}, a demo engine, and one headless Debian Chromium
/// that trusts Portico's development server key.
/// </summary>
public sealed class SamlBrowserFixture : IAsyncLifetime
{
    public const string Prefix = "saml";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private DemoEngineServer? _engine;
    private PorticoProcess? _portico;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public SamlIdentityProvider Idp { get; private set; } = null!;

    public int PorticoPort { get; private set; }

    public string ProxyUrl => $"https://{MashupEnvironment.ProxyHost}:{PorticoPort}";

    public async Task InitializeAsync()
    {
        if (!File.Exists(MashupEnvironment.ChromiumPath))
        {
            throw new InvalidOperationException($"{MashupEnvironment.ChromiumPath} is missing: install Debian's Chromium (apt-get install -y chromium; test.sh does).");
        }

        _engine = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "saml-browser-tests" });
        Idp = await SamlIdentityProvider.StartAsync();

        // Portico's config names its port (the ACS URL is built on it), so it is picked first.
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            PorticoPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _portico = await PorticoProcess.StartAsync(Config().ToJsonString(), StartTimeout);
        using var serverCertificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_portico.DataDirectory, "portico-dev-server.pem"));
        var pinned = serverCertificate.GetPublicKeyString();

        // The identity provider is given Portico's SP metadata, as an admin uploads it.
        using (var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, PorticoPort, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetPublicKeyString() == pinned },
        }))
        {
            await Idp.RegisterServiceProviderAsync(await client.GetStringAsync($"{ProxyUrl}/{Prefix}/saml/metadata"));
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await HeadlessChromium.LaunchAsync(_playwright, $"MAP {MashupEnvironment.ProxyHost} 127.0.0.1", SampleCertificate.SpkiHash(serverCertificate));
    }

    private JsonObject Config() => new()
    {
        ["publicHost"] = $"{MashupEnvironment.ProxyHost}:{PorticoPort}",
        ["listeners"] = new JsonObject
        {
            ["https"] = new JsonObject { ["address"] = "127.0.0.1", ["port"] = PorticoPort },
            ["http"] = null,
            ["qpsApi"] = null,
        },
        ["dataDirectory"] = "data",
        ["demoEngine"] = new JsonObject { ["enabled"] = false },
        ["virtualProxies"] = new JsonArray(new JsonObject
        {
            ["prefix"] = Prefix,
            ["sessionCookieHeaderName"] = "X-Qlik-Session-saml",
            ["authenticationMethod"] = "Saml",
            ["samlMetadataIdP"] = Idp.Metadata,
            ["samlHostUri"] = ProxyUrl,
            ["samlEntityId"] = "https://proxy.test/saml",
            ["samlAttributeUserDirectory"] = "[SAMLDEMO]",
            ["samlAttributeMap"] = new JsonArray(new JsonObject { ["samlAttribute"] = "group", ["senseAttribute"] = "group", ["isMandatory"] = true }),
            ["loadBalancingServerNodes"] = new JsonArray(_engine!.BaseAddress.ToString().TrimEnd('/')),
        }),
    };

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_portico is not null)
        {
            await _portico.DisposeAsync();
        }

        if (Idp is not null)
        {
            await Idp.DisposeAsync();
        }

        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}
