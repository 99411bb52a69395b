using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Portico.DemoEngine;
using Portico.Samples;
using Portico.TestSupport;

namespace Portico.BrowserTests;

/// <summary>
/// The samples' setup, once for all browser tests: the demo engine; one Portico on
/// https://proxy.test:{port} with the virtual proxies of every samples/*/portico.json (plus two
/// variants of the JWT one); the samples' back end (pages, JWT, QPS calls, header front) on every
/// name of <see cref="SampleSites"/>; and one headless Debian Chromium whose resolver sends all
/// those names to 127.0.0.1.
/// </summary>
public sealed class MashupEnvironment : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ProxyHost = "proxy.test";
    public const string SiteA = SampleSites.MashupA;
    public const string SiteB = SampleSites.MashupB;
    public const string EvilSite = SampleSites.Stranger;

    /// <summary>samples/jwt's virtual proxy: allow list, SameSite=None, Partitioned.</summary>
    public const string JwtPrefix = "jwt";

    /// <summary>Like <see cref="JwtPrefix"/>, but the origins come as Qlik's article writes them: one comma-separated Access-Control-Allow-Origin line.</summary>
    public const string CommaListPrefix = "jwt-acao";

    /// <summary>Like <see cref="JwtPrefix"/>, without Partitioned.</summary>
    public const string UnpartitionedPrefix = "jwt-unpartitioned";

    /// <summary>samples/saml's virtual proxy, whose identity provider this fixture starts.</summary>
    public const string SamlPrefix = "saml";

    /// <summary>samples/oidc's virtual proxy: logins at <see cref="NodeOidcProvider"/>, started with Portico.</summary>
    public const string OidcPrefix = "oidc";

    /// <summary>The port every samples/*/portico.json writes in its allow list; replaced by this run's.</summary>
    private const int SamplePort = 5443;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private DemoEngineServer? _engine;
    private WebApplication? _samples;
    private X509Certificate2? _sitesCertificate;
    private PorticoProcess? _portico;
    private IPlaywright? _playwright;
    private SamlIdentityProvider? _samlIdp;
    private OidcTestPki OidcPki { get; } = new();
    private NodeOidcProvider? _oidcProvider;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>samples/saml's identity provider (tests/clients/saml/idp.mjs): its metadata replaces the sample's, and it is given Portico's SP metadata.</summary>
    public SamlIdentityProvider SamlIdp => _samlIdp!;

    /// <summary>The engine behind every virtual proxy, for what it was asked.</summary>
    public DemoEngineServer Engine => _engine!;

    public int PorticoPort { get; private set; }

    public int QpsPort { get; private set; }

    public int MashupPort { get; private set; }

    /// <summary>The samples' back end's server certificate, for clients that trust exactly it.</summary>
    public X509Certificate2 SitesCertificate => _sitesCertificate!;

    /// <summary>Portico's data directory (development CA, QPS client certificate), for the Node.js samples.</summary>
    public string PorticoDataDirectory => _portico!.DataDirectory;

    /// <summary>The CA of the OIDC provider's certificate, for the Node.js sample (PORTICO_OIDC_CA).</summary>
    public string OidcProviderCaPath => OidcPki.CaPath;

    public string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public static string RepositoryRoot => NodeClients.LocateRepositoryRoot();

    public static string SamplesDirectory => Path.Combine(RepositoryRoot, "samples");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's Chromium (apt-get install -y chromium; test.sh does). Browsers are never downloaded.");
        }

        await NodeClients.Shared.EnsureInstalledAsync();
        await SamplePackages.EnsureInstalledAsync();
        Directory.CreateDirectory(ScreenshotDirectory);

        _engine = await DemoEngineServer.StartAsync(new DemoEngineOptions
        {
            NodeName = "browser-tests",
            QlikApiPackage = Path.Combine(NodeClients.LocateClientsDirectory(), "node_modules", "@qlik", "api"),
        });
        _sitesCertificate = SampleCertificate.CreateSelfSigned(SampleSites.All);
        _samlIdp = await SamlIdentityProvider.StartAsync();

        // Portico's config names the ports, so they are picked first; another program may take one
        // before Portico or the samples bind it, and then both start again on new ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartServersAsync();
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
        _playwright = await Playwright.CreateAsync();
        Browser = await HeadlessChromium.LaunchAsync(_playwright, SampleSites.ResolverRules(ProxyHost), SampleCertificate.SpkiHash(porticoCertificate), SampleCertificate.SpkiHash(_sitesCertificate), SampleCertificate.SpkiHash(OidcPki.Server));
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

        _sitesCertificate?.Dispose();
        if (_samlIdp is not null)
        {
            await _samlIdp.DisposeAsync();
        }

        OidcPki.Dispose();
    }

    /// <summary>Portico first (it creates the development certificates the back end uses for the QPS API), then the samples' back end.</summary>
    private async Task StartServersAsync()
    {
        var ports = FreePorts(3);
        (PorticoPort, QpsPort, MashupPort) = (ports[0], ports[1], ports[2]);
        // samples/oidc's provider knows Portico's redirect URI, so it starts once Portico's port is known.
        _oidcProvider = await NodeOidcProvider.StartAsync(OidcPki, [$"https://{ProxyHost}:{PorticoPort}/{OidcPrefix}/oidc/callback"], []);
        _portico = await PorticoProcess.StartAsync(PorticoConfig(), StartTimeout);
        await RegisterSamlServiceProviderAsync();
        var options = new SampleOptions
        {
            PorticoUrl = new Uri($"https://{ProxyHost}:{PorticoPort}/"),
            FrontUrl = new Uri($"https://{SampleSites.Front}:{MashupPort}/"),
            JwtPrivateKeyPem = File.ReadAllText(Path.Combine(SamplesDirectory, "jwt", "demo-jwt-private-key.pem")),
            QpsApiUrl = new Uri($"https://localhost:{QpsPort}/"),
            QpsClientCertificatePath = Path.Combine(_portico.DataDirectory, "portico-dev-client.pem"),
            QpsClientKeyPath = Path.Combine(_portico.DataDirectory, "portico-dev-client-key.pem"),
            PorticoCaPath = Path.Combine(_portico.DataDirectory, "portico-dev-ca.pem"),
            SamplesDirectory = SamplesDirectory,
            PackagesDirectory = Path.Combine(SamplesDirectory, "node_modules"),
        };

        var certificate = _sitesCertificate!;
        _samples = SampleBackEnd.Build(options, kestrel => kestrel.Listen(IPAddress.Loopback, MashupPort, o => o.UseHttps(certificate)));
        await _samples.StartAsync();
    }

    /// <summary>Gives the SAML identity provider the SAML virtual proxy's SP metadata, as an admin uploads it (Portico's server key pinned).</summary>
    private async Task RegisterSamlServiceProviderAsync()
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_portico!.DataDirectory, "portico-dev-server.pem"));
        var pinned = certificate.GetPublicKeyString();
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetPublicKeyString() == pinned },
        });
        await _samlIdp!.RegisterServiceProviderAsync(await client.GetStringAsync($"https://localhost:{PorticoPort}/{SamlPrefix}/saml/metadata"));
    }

    private async Task StopServersAsync()
    {
        if (_samples is not null)
        {
            await _samples.DisposeAsync();
            _samples = null;
        }

        if (_portico is not null)
        {
            await _portico.DisposeAsync();
            _portico = null;
        }

        if (_oidcProvider is not null)
        {
            await _oidcProvider.DisposeAsync();
            _oidcProvider = null;
        }
    }

    /// <summary>A fresh browser context (its own cookie jar), as a new visitor's browser.</summary>
    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 900 } });

    /// <summary>A page of the samples' back end, e.g. <c>SiteUrl(SiteA, "jwt/?prefix=other")</c>.</summary>
    public string SiteUrl(string host, string path = "") => $"https://{host}:{MashupPort}/{path}";

    public string Origin(string host) => $"https://{host}:{MashupPort}";

    /// <summary>
    /// One Portico for every sample: the top level of the first samples/*/portico.json with this
    /// run's ports and engine, the virtual proxies of all of them (allow lists on this run's port),
    /// and two variants of samples/jwt's virtual proxy.
    /// </summary>
    private string PorticoConfig()
    {
        var files = Directory.EnumerateFiles(SamplesDirectory, "portico.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains("node_modules", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => JsonNode.Parse(File.ReadAllText(f), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject())
            .ToList();
        var config = files[0];
        config["publicHost"] = $"{ProxyHost}:{PorticoPort}";
        config["listeners"]!["https"]!["port"] = PorticoPort;
        config["listeners"]!["qpsApi"]!["port"] = QpsPort;
        config["dataDirectory"] = "data";
        config["demoEngine"] = new JsonObject { ["enabled"] = false };
        var engine = _engine!.BaseAddress.ToString().TrimEnd('/');
        var virtualProxies = new JsonArray();
        foreach (var vp in files.SelectMany(f => f["virtualProxies"]!.AsArray()).Select(vp => vp!.DeepClone()))
        {
            vp["loadBalancingServerNodes"] = new JsonArray(engine);
            if (vp["websocketCrossOriginWhiteList"] is JsonArray origins)
            {
                vp["websocketCrossOriginWhiteList"] = new JsonArray([.. origins.Select(o => JsonValue.Create(OnThisPort(o!.GetValue<string>())))]);
            }

            if (vp["prefix"]?.GetValue<string>() == SamlPrefix)
            {
                vp["samlMetadataIdP"] = _samlIdp!.Metadata;
                vp["samlHostUri"] = $"https://{ProxyHost}:{PorticoPort}";
            }

            if (vp["prefix"]!.GetValue<string>() == OidcPrefix)
            {
                vp["oidcConfigurationEndpointUri"] = _oidcProvider!.DiscoveryUrl;
                vp["oidcTrustedCaFile"] = OidcPki.CaPath;
            }

            virtualProxies.Add(vp);
        }

        config["virtualProxies"] = virtualProxies;
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

    private string OnThisPort(string origin)
    {
        var uri = new Uri(origin);
        return uri.Port == SamplePort ? Origin(uri.Host) : origin;
    }

    /// <summary>Distinct ports free right now (all held open until each is known).</summary>
    internal static int[] FreePorts(int count)
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
