using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Portico.DemoEngine;
using Portico.Samples.Mashup;
using Portico.TestSupport;

namespace Portico.BrowserTests;

/// <summary>
/// The source article's setup, once for all browser tests: the demo engine; Portico on
/// https://proxy.test:{port} started from samples/mashup/portico.json (plus two variants of its
/// JWT virtual proxy); the sample mashup (page and back end) on https://mashup-a.test:{port},
/// https://mashup-b.example:{port} and https://evil.test:{port}; and one headless Debian Chromium
/// whose resolver sends all those names to 127.0.0.1.
/// </summary>
public sealed class MashupEnvironment : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ProxyHost = "proxy.test";
    public const string SiteA = "mashup-a.test";
    public const string SiteB = "mashup-b.example";
    public const string EvilSite = "evil.test";

    /// <summary>The sample's JWT virtual proxy: allow list, SameSite=None, Partitioned.</summary>
    public const string JwtPrefix = "mashup";

    /// <summary>The sample's Ticket virtual proxy.</summary>
    public const string TicketPrefix = "mashup-ticket";

    /// <summary>Like <see cref="JwtPrefix"/>, but the origins come as Qlik's article writes them: one comma-separated Access-Control-Allow-Origin line.</summary>
    public const string CommaListPrefix = "mashup-acao";

    /// <summary>Like <see cref="JwtPrefix"/>, without Partitioned.</summary>
    public const string UnpartitionedPrefix = "mashup-unpartitioned";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly RSA _jwtKey = RSA.Create(2048);
    private DemoEngineServer? _engine;
    private WebApplication? _mashup;
    private X509Certificate2? _mashupCertificate;
    private PorticoProcess? _portico;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The engine behind every virtual proxy, for what it was asked.</summary>
    public DemoEngineServer Engine => _engine!;

    public int PorticoPort { get; private set; }

    public int MashupPort { get; private set; }

    public string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public static string RepositoryRoot => NodeClients.LocateRepositoryRoot();

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's Chromium (apt-get install -y chromium; test.sh does). Browsers are never downloaded.");
        }

        await NodeClients.Shared.EnsureInstalledAsync();
        var enigma = Path.Combine(NodeClients.LocateClientsDirectory(), "node_modules", "enigma.js");
        Directory.CreateDirectory(ScreenshotDirectory);

        _engine = await DemoEngineServer.StartAsync(new DemoEngineOptions
        {
            NodeName = "browser-tests",
            QlikApiPackage = Path.Combine(NodeClients.LocateClientsDirectory(), "node_modules", "@qlik", "api"),
        });
        _mashupCertificate = MashupCertificate.CreateSelfSigned([SiteA, SiteB, EvilSite]);

        // Portico's config names the ports, so they are picked first; another program may take one
        // before Portico or the mashup binds it, and then both start again on new ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartServersAsync(enigma);
                break;
            }
            catch (Exception ex) when (attempt < 3 && ex is InvalidOperationException or IOException)
            {
                await StopServersAsync();
            }
        }

        // Chromium accepts exactly these two server keys as if a trusted CA had issued them
        // (honoured with a user data dir, which Playwright always gives it), so the pages are
        // ordinary secure contexts with no certificate error to ignore.
        using var porticoCertificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_portico!.DataDirectory, "portico-dev-server.pem"));
        var trustedKeys = string.Join(',', MashupCertificate.SpkiHash(porticoCertificate), MashupCertificate.SpkiHash(_mashupCertificate));

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                $"--host-resolver-rules=MAP {ProxyHost} 127.0.0.1, MAP {SiteA} 127.0.0.1, MAP {SiteB} 127.0.0.1, MAP {EvilSite} 127.0.0.1",
                "--ignore-certificate-errors-spki-list=" + trustedKeys,
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await StopServersAsync();
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        _mashupCertificate?.Dispose();
        _jwtKey.Dispose();
    }

    /// <summary>Portico first (it creates the development certificates the mashup back end uses for tickets), then the mashup.</summary>
    private async Task StartServersAsync(string enigma)
    {
        var ports = FreePorts(3);
        (PorticoPort, var qpsPort, MashupPort) = (ports[0], ports[1], ports[2]);
        _portico = await PorticoProcess.StartAsync(PorticoConfig(qpsPort), StartTimeout);
        var options = new MashupOptions
        {
            PorticoUrl = new Uri($"https://{ProxyHost}:{PorticoPort}/"),
            JwtPrefix = JwtPrefix,
            TicketPrefix = TicketPrefix,
            JwtPrivateKeyPem = _jwtKey.ExportPkcs8PrivateKeyPem(),
            JwtAudience = "portico-mashup",
            UserDirectory = "MASHUP",
            UserId = "alice",
            QpsApiUrl = new Uri($"https://localhost:{qpsPort}/"),
            QpsClientCertificatePath = Path.Combine(_portico.DataDirectory, "portico-dev-client.pem"),
            QpsClientKeyPath = Path.Combine(_portico.DataDirectory, "portico-dev-client-key.pem"),
            PorticoCaPath = Path.Combine(_portico.DataDirectory, "portico-dev-ca.pem"),
            SiteDirectory = Path.Combine(RepositoryRoot, "samples", "mashup"),
            EnigmaScriptPath = Path.Combine(enigma, "enigma.min.js"),
            EnigmaSchemaPath = Path.Combine(enigma, "schemas", "12.2027.0.json"),
        };

        var certificate = _mashupCertificate!;
        _mashup = MashupBackEnd.Build(options, kestrel => kestrel.Listen(IPAddress.Loopback, MashupPort, o => o.UseHttps(certificate)));
        NebulaMashupPage.Map(_mashup);
        QlikApi.QlikApiPage.Map(_mashup);
        await _mashup.StartAsync();
    }

    private async Task StopServersAsync()
    {
        if (_mashup is not null)
        {
            await _mashup.DisposeAsync();
            _mashup = null;
        }

        if (_portico is not null)
        {
            await _portico.DisposeAsync();
            _portico = null;
        }
    }

    /// <summary>A fresh browser context (its own cookie jar), as a new visitor's browser.</summary>
    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 900 } });

    public string SiteUrl(string host, string query = "") => $"https://{host}:{MashupPort}/{query}";

    public string Origin(string host) => $"https://{host}:{MashupPort}";

    /// <summary>
    /// samples/mashup/portico.json with this run's ports, JWT key and engine, and the two variants
    /// of its JWT virtual proxy.
    /// </summary>
    private string PorticoConfig(int qpsPort)
    {
        var config = JsonNode.Parse(
            File.ReadAllText(Path.Combine(RepositoryRoot, "samples", "mashup", "portico.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        config["publicHost"] = $"{ProxyHost}:{PorticoPort}";
        config["listeners"]!["https"]!["port"] = PorticoPort;
        config["listeners"]!["qpsApi"]!["port"] = qpsPort;
        config["demoEngine"] = new JsonObject { ["enabled"] = false };
        var engine = _engine!.BaseAddress.ToString().TrimEnd('/');
        var origins = new JsonArray(Origin(SiteA), Origin(SiteB));
        var virtualProxies = config["virtualProxies"]!.AsArray();
        foreach (var vp in virtualProxies)
        {
            vp!["loadBalancingServerNodes"] = new JsonArray(engine);
            vp["websocketCrossOriginWhiteList"] = origins.DeepClone();
            if (vp["authenticationMethod"]!.GetValue<string>() == "JWT")
            {
                vp["jwtPublicKeyCertificate"] = _jwtKey.ExportSubjectPublicKeyInfoPem();
            }
        }

        var jwt = virtualProxies.Single(vp => vp!["prefix"]!.GetValue<string>() == JwtPrefix)!;

        var commaList = jwt.DeepClone();
        commaList["prefix"] = CommaListPrefix;
        commaList["sessionCookieHeaderName"] = "X-Qlik-Session-" + CommaListPrefix;
        commaList["websocketCrossOriginWhiteList"] = new JsonArray();
        commaList["additionalResponseHeaders"] =
            $"Access-Control-Allow-Origin: {Origin(SiteA)}, {Origin(SiteB)}\n" +
            "Access-Control-Allow-Credentials: true\n" +
            "Access-Control-Expose-Headers: qlik-csrf-token";
        virtualProxies.Add(commaList);

        var unpartitioned = jwt.DeepClone();
        unpartitioned["prefix"] = UnpartitionedPrefix;
        unpartitioned["sessionCookieHeaderName"] = "X-Qlik-Session-" + UnpartitionedPrefix;
        unpartitioned["sessionCookiePartitioned"] = false;
        virtualProxies.Add(unpartitioned);

        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Distinct ports free right now (all held open until each is known).</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MashupBrowser : ICollectionFixture<MashupEnvironment>
{
    public const string Name = "mashup in Chromium";
}
