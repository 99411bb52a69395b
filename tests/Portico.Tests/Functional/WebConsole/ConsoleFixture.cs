using System.Net;
using Portico.Configuration;
using Portico.DemoEngine;
using Portico.Listeners;
using Portico.Tests.Functional.Authentication;
using Portico.Tests.Support;
using Portico.Tickets;

namespace Portico.Tests.Functional.WebConsole;

/// <summary>
/// One Portico with a console on the ticket virtual proxy ("ticket": DEMO\alice and the group
/// PorticoAdmins are admins), a second ticket virtual proxy ("other"), an anonymous default one,
/// the admin (QRS) API listener and the audit log on.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string AdminGroup = "PorticoAdmins";

    /// <summary>The one origin virtual proxy "other" allows.</summary>
    public const string AllowedOrigin = "https://app.example.test";

    public DemoEngineServer Engine { get; private set; } = null!;

    public PorticoTestHost Portico { get; private set; } = null!;

    public int QrsApiPort { get; private set; }

    public string AuditPath => Path.Combine(Portico.Directory, "data", "audit.jsonl");

    public string EngineUrl => Engine.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        Engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        var config = PorticoTestHost.BaseConfig(
            PorticoTestHost.AnonymousProxy("", Engine.BaseAddress),
            // The admin's own headers and allow list must not loosen the console's.
            TicketProxy("ticket", Engine.BaseAddress) with
            {
                AdditionalResponseHeaders = "Content-Security-Policy: frame-ancestors *\nX-Frame-Options: SAMEORIGIN",
                WebsocketCrossOriginWhiteList = [AllowedOrigin],
            },
            TicketProxy("other", Engine.BaseAddress) with { WebsocketCrossOriginWhiteList = [AllowedOrigin] }) with
        {
            Audit = new AuditConfig { Enabled = true, File = "data/audit.jsonl" },
            Console = new ConsoleConfig { VirtualProxy = "ticket", AdminUsers = ["DEMO\\alice"], AdminGroups = [AdminGroup] },
        };
        Portico = await PorticoTestHost.StartAsync(PorticoTestHost.WithAdminApi(config));
        QrsApiPort = Portico.Services.GetRequiredService<BoundListeners>().QrsApiPort!.Value;
    }

    public async Task DisposeAsync()
    {
        await Portico.DisposeAsync();
        await Engine.DisposeAsync();
    }

    public static VirtualProxyConfig TicketProxy(string prefix, Uri engine) => new()
    {
        Prefix = prefix,
        SessionCookieHeaderName = "X-Qlik-Session-" + prefix,
        AuthenticationMethod = AuthenticationMethod.Ticket,
        AnonymousAccessMode = AnonymousAccessMode.NoAnonymousUser,
        LoadBalancingServerNodes = [engine.ToString().TrimEnd('/')],
    };

    internal QpsApiClient QrsClient() => new(Portico, useDevelopmentCertificate: true, port: QrsApiPort);

    /// <summary>A ticket as the QPS API would issue it.</summary>
    internal string Ticket(string user, string prefix = "ticket", params KeyValuePair<string, string>[] attributes) =>
        Portico.Services.GetRequiredService<TicketStore>().Issue(new TicketRequest
        {
            VirtualProxyPrefix = prefix,
            UserDirectory = user.Split('\\')[0],
            UserId = user.Split('\\')[1],
            Attributes = attributes,
        }).Value;

    /// <summary>Signs in as the README says: open the console with a ticket; returns a client holding the session cookie.</summary>
    internal async Task<HttpClient> SignInAsync(string user, string prefix = "ticket", params KeyValuePair<string, string>[] attributes)
    {
        var client = Portico.CreateClient(cookies: new CookieContainerHolder());
        var response = await client.GetAsync($"/{prefix}/console/?qlikTicket={Uri.EscapeDataString(Ticket(user, prefix, attributes))}");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal($"/{prefix}/console/", response.Headers.Location!.ToString());
        return client;
    }
}
