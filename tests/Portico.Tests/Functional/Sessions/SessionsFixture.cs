using Portico.Configuration;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// One Portico shared by the tests of a class that never move its clock: virtual proxies that need a
/// login, allow anonymous users, redirect to a login module, and issue cookies with each SameSite,
/// Partitioned and Domain setting.
/// </summary>
public sealed class SessionsFixture : IAsyncLifetime
{
    public const string LoginModule = "https://login.example.com/login";

    public SessionsHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await SessionsHost.StartAsync(engine =>
        [
            SessionsHost.LoginRequired("app", engine),
            SessionsHost.LoginRequired("other", engine),
            SessionsHost.LoginRequired("login", engine) with { AuthenticationModuleRedirectUri = LoginModule },
            SessionsHost.AllowsAnonymous("anon", engine),
            SessionsHost.AllowsAnonymous("strict", engine) with { SameSiteAttributeHttps = CookieSameSite.Strict },
            SessionsHost.AllowsAnonymous("none", engine) with { SameSiteAttributeHttps = CookieSameSite.None },
            SessionsHost.AllowsAnonymous("partitioned", engine) with { SessionCookiePartitioned = true },
            SessionsHost.AllowsAnonymous("domain", engine) with { SessionCookieDomain = "example.com" },
            SessionsHost.AllowsAnonymous("noattribute", engine) with { SameSiteAttributeHttps = CookieSameSite.NoAttribute },
            SessionsHost.AllowsAnonymous("notsecure", engine) with { HasSecureAttributeHttps = false },
        ],
        // Every test here is one client on 127.0.0.1, and some make hundreds of anonymous logins;
        // the per-client limit has tests of its own (AnonymousFloodTests).
        clientLimits: new ClientLimitsConfig { AnonymousSessionsPerMinute = 0 });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
