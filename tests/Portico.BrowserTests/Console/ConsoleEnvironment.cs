using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Portico.DemoEngine;
using Portico.Samples;
using Portico.TestSupport;

namespace Portico.BrowserTests.Console;

/// <summary>
/// One Portico with the web console on its <c>ticket</c> virtual proxy (admin: DEMO\alice), a
/// second ticket virtual proxy (<c>mashup</c>) for sessions to revoke, one demo engine, and one
/// headless Chromium that sends <see cref="Host"/> and <see cref="StrangerHost"/> to 127.0.0.1.
/// </summary>
public sealed class ConsoleEnvironment : IAsyncLifetime
{
    public const string Host = "console.test";

    /// <summary>Another site, whose page tries to frame the console.</summary>
    public const string StrangerHost = "stranger.test";

    public const string ConsolePrefix = "ticket";
    public const string MashupPrefix = "mashup";
    public const string Admin = "alice";
    public const string NotAdmin = "bob";
    public const string Directory = "DEMO";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private const string XrfKeyAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private DemoEngineServer? _engine;
    private PorticoProcess? _portico;
    private IPlaywright? _playwright;
    private HttpClient? _qps;
    private HttpClient? _https;
    private WebApplication? _stranger;
    private X509Certificate2? _ca;
    private X509Certificate2? _clientCertificate;

    public IBrowser Browser { get; private set; } = null!;

    public int PorticoPort { get; private set; }

    public int QpsPort { get; private set; }

    public string EngineUrl => _engine!.BaseAddress.ToString().TrimEnd('/');

    /// <summary>The console's address, e.g. https://console.test:1234/ticket/console/.</summary>
    public string ConsoleUrl => $"https://{Host}:{PorticoPort}/{ConsolePrefix}/console/";

    /// <summary>Portico's development CA, which Node's TLS trusts for the enigma.js runs.</summary>
    public string CaPath => Path.Combine(_portico!.DataDirectory, "portico-dev-ca.pem");

    /// <summary>Where screenshots go: artifacts/console/ under the repository root (ignored by git).</summary>
    public static string ArtifactsDirectory => Path.Combine(NodeClients.LocateRepositoryRoot(), "artifacts", "console");

    /// <summary>A page on another site (plain HTTP on loopback, like Portico) that frames the URL in its <c>frame</c> parameter.</summary>
    public string StrangerPageUrl { get; private set; } = string.Empty;

    /// <summary>Portico's output so far, for failure messages.</summary>
    public string PorticoOutput => _portico?.Output ?? string.Empty;

    /// <summary>Portico's HTTPS listener with no credential at all, trusting exactly its development CA.</summary>
    public HttpClient Anonymous => _https!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(MashupEnvironment.ChromiumPath))
        {
            throw new InvalidOperationException($"{MashupEnvironment.ChromiumPath} is missing: install Debian's Chromium (apt-get install -y chromium; test.sh does). Browsers are never downloaded.");
        }

        await NodeClients.Shared.EnsureInstalledAsync();
        System.IO.Directory.CreateDirectory(ArtifactsDirectory);
        _engine = await DemoEngineServer.StartAsync(new DemoEngineOptions { NodeName = "console-tests" });

        // The config names the ports, so they are picked first; should another program take one
        // before Portico binds it, Portico starts again on new ones.
        for (var attempt = 1; ; attempt++)
        {
            var ports = MashupEnvironment.FreePorts(2);
            (PorticoPort, QpsPort) = (ports[0], ports[1]);
            try
            {
                _portico = await PorticoProcess.StartAsync(PorticoConfig(), StartTimeout);
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }

        _stranger = await StartStrangerSiteAsync();
        _ca = X509CertificateLoader.LoadCertificateFromFile(CaPath);
        _clientCertificate = X509Certificate2.CreateFromPemFile(Path.Combine(_portico.DataDirectory, "portico-dev-client.pem"), Path.Combine(_portico.DataDirectory, "portico-dev-client-key.pem"));
        _qps = PorticoClient(new Uri($"https://127.0.0.1:{QpsPort}/"), withClientCertificate: true);
        _https = PorticoClient(new Uri($"https://127.0.0.1:{PorticoPort}/"), withClientCertificate: false);

        using var server = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_portico.DataDirectory, "portico-dev-server.pem"));
        _playwright = await Playwright.CreateAsync();
        Browser = await HeadlessChromium.LaunchAsync(_playwright, $"MAP {Host} 127.0.0.1, MAP {StrangerHost} 127.0.0.1", SampleCertificate.SpkiHash(server));
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        _qps?.Dispose();
        _https?.Dispose();
        _ca?.Dispose();
        _clientCertificate?.Dispose();
        if (_stranger is not null)
        {
            await _stranger.DisposeAsync();
        }

        if (_portico is not null)
        {
            await _portico.DisposeAsync();
        }

        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    /// <summary>A fresh browser context (its own cookies), as another person's browser.</summary>
    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });

    /// <summary>A one-time ticket from the QPS API for DEMO\{userId} on a virtual proxy, as a trusted back end asks for it.</summary>
    public async Task<string> TicketAsync(string userId, string prefix = ConsolePrefix)
    {
        var xrfKey = RandomNumberGenerator.GetString(XrfKeyAlphabet, 16);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"qps/{prefix}/ticket?xrfkey={xrfKey}");
        request.Headers.Add("X-Qlik-Xrfkey", xrfKey);
        request.Content = JsonContent.Create(new { UserDirectory = Directory, UserId = userId });
        using var response = await _qps!.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"ticket: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["Ticket"]!.GetValue<string>();
    }

    /// <summary>Signs <paramref name="page"/> in as DEMO\{userId} the way the README says: a ticket on the console's URL.</summary>
    public async Task<IResponse?> SignInAsync(IPage page, string userId, string route = "")
    {
        var ticket = await TicketAsync(userId);
        return await page.GotoAsync($"{ConsoleUrl}?qlikTicket={Uri.EscapeDataString(ticket)}{route}");
    }

    /// <summary>A full-page PNG in <see cref="ArtifactsDirectory"/>.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, name + ".png"), FullPage = true });

    /// <summary>
    /// Another site's page framing the console. Served from loopback like Portico, so that
    /// Chromium's local network access checks let the frame's request through and only the
    /// console's own headers can keep it out.
    /// </summary>
    private async Task<WebApplication> StartStrangerSiteAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/", (string frame) => Results.Content(
            $"<!doctype html><title>stranger</title><iframe id=\"victim\" src=\"{WebUtility.HtmlEncode(frame)}\" onload=\"document.body.dataset.loaded='yes'\"></iframe>",
            "text/html; charset=utf-8"));
        await app.StartAsync();
        var port = new Uri(app.Urls.Single()).Port;
        StrangerPageUrl = $"http://{StrangerHost}:{port}/";
        return app;
    }

    private string PorticoConfig()
    {
        JsonObject TicketProxy(string prefix, string description) => new()
        {
            ["prefix"] = prefix,
            ["description"] = description,
            ["sessionCookieHeaderName"] = "X-Qlik-Session-" + prefix,
            ["authenticationMethod"] = "Ticket",
            ["loadBalancingServerNodes"] = new JsonArray(EngineUrl),
        };

        // The admin's session works even in another site's frame (SameSite=None, Partitioned, as a
        // mashup virtual proxy's): only the console's own headers then keep it out of that frame.
        static JsonObject ConsoleProxy(JsonObject proxy)
        {
            proxy["sameSiteAttributeHttps"] = "None";
            proxy["sessionCookiePartitioned"] = true;
            return proxy;
        }

        var config = new JsonObject
        {
            ["publicHost"] = $"{Host}:{PorticoPort}",
            ["listeners"] = new JsonObject
            {
                ["https"] = new JsonObject { ["address"] = "127.0.0.1", ["port"] = PorticoPort },
                ["http"] = null,
                ["qpsApi"] = new JsonObject { ["address"] = "127.0.0.1", ["port"] = QpsPort },
            },
            ["dataDirectory"] = "data",
            ["demoEngine"] = new JsonObject { ["enabled"] = false },
            ["qpsApi"] = new JsonObject { ["trustDevelopmentCa"] = true },
            ["audit"] = new JsonObject { ["enabled"] = true, ["file"] = "data/audit.jsonl" },
            ["console"] = new JsonObject
            {
                ["virtualProxy"] = ConsolePrefix,
                ["adminUsers"] = new JsonArray($"{Directory}\\{Admin}"),
            },
            ["virtualProxies"] = new JsonArray(
                ConsoleProxy(TicketProxy(ConsolePrefix, "Administrators sign in here with a ticket")),
                TicketProxy(MashupPrefix, "Mashups whose sessions the console revokes")),
        };
        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private HttpClient PorticoClient(Uri baseAddress, bool withClientCertificate)
    {
        var ca = _ca!;
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false };
        if (withClientCertificate)
        {
            handler.SslOptions.ClientCertificates = [_clientCertificate!];
        }

        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(presented);
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
    }
}
