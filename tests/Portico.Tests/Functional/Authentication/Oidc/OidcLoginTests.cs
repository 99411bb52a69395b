using System.Net;
using System.Text.Json;
using Portico.Tests.Support;
using Portico.TestSupport;

namespace Portico.Tests.Functional.Authentication.Oidc;

/// <summary>Logins through the real provider (npm oidc-provider), and the callbacks an attacker would replay or misdirect.</summary>
public sealed class OidcLoginTests(OidcFixture fixture) : IClassFixture<OidcFixture>
{
    [Fact]
    public async Task Login_ThroughRealProvider_SessionWithRealmClaimsAndTarget()
    {
        using var browser = fixture.Browser();
        var login = await LogInAsync(browser, "/sso/hub/?sheet=1", "alice");

        Assert.Equal(fixture.Portico.BaseAddress + "sso/hub/?sheet=1", login.Landing);
        using var user = JsonDocument.Parse(await browser.GetStringAsync("/sso/qps/user"));
        Assert.Equal("IDP", user.RootElement.GetProperty("userDirectory").GetString());
        Assert.Equal("alice", user.RootElement.GetProperty("userId").GetString());
        var csrf = await browser.GetAsync("/sso/qps/csrftoken");
        Assert.Equal(HttpStatusCode.NoContent, csrf.StatusCode);
        // The engine is told who it is, with the id_token's claims as attributes.
        using var echo = JsonDocument.Parse(await browser.GetStringAsync("/sso/portico-demo/echo"));
        var headers = echo.RootElement.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("UserDirectory=IDP; UserId=alice", headers["X-Qlik-User"]);
        Assert.Contains(" name=Alice%20Example; group=Sales; group=Analysts; email=alice%40example.test;", headers["X-Qlik-Security"], StringComparison.Ordinal);
        Assert.DoesNotContain(NodeOidcProvider.ClientSecret, fixture.Portico.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(NodeOidcProvider.ClientSecret, string.Join('\n', AuditFile.Lines(fixture.AuditPath)), StringComparison.Ordinal);
        await AuditFile.WaitForAsync(fixture.AuditPath, e => e.GetProperty("event").GetString() == "login.succeeded" && e.TryGetProperty("method", out var m) && m.GetString() == "oidc" && e.TryGetProperty("userId", out var u) && u.GetString() == "alice", "login.succeeded for alice");
    }

    [Fact]
    public async Task Callback_Replayed_RefusedStateUnknown()
    {
        using var browser = fixture.Browser();
        var login = await LogInAsync(browser, "/sso/", "bob");

        var replay = await browser.GetAsync(login.Callback);

        await AssertRefusedAsync(replay, "state_unknown");
    }

    [Fact]
    public async Task Code_ReplayedWithFreshState_RefusedCodeReplayed()
    {
        using var browser = fixture.Browser();
        var login = await LogInAsync(browser, "/sso/", "bob");
        var code = Query(login.Callback, "code");
        var fresh = await StartAsync(browser, "/sso/oidc/login");

        var replay = await browser.GetAsync($"/sso/oidc/callback?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(Query(fresh, "state"))}");

        await AssertRefusedAsync(replay, "code_replayed");
    }

    [Fact]
    public async Task Callback_UnknownState_Refused()
    {
        using var browser = fixture.Browser();
        await StartAsync(browser, "/sso/oidc/login");

        var response = await browser.GetAsync("/sso/oidc/callback?code=abc&state=not-a-state-portico-issued");

        await AssertRefusedAsync(response, "state_unknown");
    }

    [Fact]
    public async Task Callback_StateFromAnotherBrowser_RefusedLoginCsrf()
    {
        using var attacker = fixture.Browser();
        using var victim = fixture.Browser();
        var state = Query(await StartAsync(attacker, "/sso/oidc/login"), "state");

        var response = await victim.GetAsync($"/sso/oidc/callback?code=abc&state={state}");

        await AssertRefusedAsync(response, "state_browser_mismatch");
    }

    [Fact]
    public async Task Callback_OnPathThatIsNotTheRedirectUri_Refused()
    {
        using var browser = fixture.Browser();
        var state = Query(await StartAsync(browser, "/sso/oidc/login"), "state");

        var response = await browser.GetAsync($"/sso/oidc/callback/extra?code=abc&state={state}");

        await AssertRefusedAsync(response, "redirect_mismatch");
    }

    [Fact]
    public async Task Callback_StateOfAnotherVirtualProxy_RefusedRedirectMismatch()
    {
        using var browser = fixture.Browser();
        var state = Query(await StartAsync(browser, "/sso/oidc/login"), "state");

        var response = await browser.GetAsync($"/fake/oidc/callback?code=abc&state={state}");

        await AssertRefusedAsync(response, "redirect_mismatch");
    }

    [Fact]
    public async Task Callback_ProviderError_Refused()
    {
        using var browser = fixture.Browser();
        var state = Query(await StartAsync(browser, "/sso/oidc/login"), "state");

        var response = await browser.GetAsync($"/sso/oidc/callback?error=access_denied&state={state}");

        await AssertRefusedAsync(response, "provider_error");
    }

    [Fact]
    public async Task Logout_EndsSessionAndRedirectsToProviderWithIdTokenHint()
    {
        using var browser = fixture.Browser();
        await LogInAsync(browser, "/sso/", "alice");

        var logout = await browser.GetAsync("/sso/oidc/logout");

        Assert.Equal(HttpStatusCode.Found, logout.StatusCode);
        var location = logout.Headers.Location!.ToString();
        Assert.StartsWith(fixture.Provider.Issuer, location, StringComparison.Ordinal);
        Assert.Contains("id_token_hint=", location, StringComparison.Ordinal);
        using var user = JsonDocument.Parse(await browser.GetStringAsync("/sso/qps/user"));
        Assert.Equal("inactive", user.RootElement.GetProperty("session").GetString());
    }

    [Fact]
    public async Task Page_Unauthenticated_RedirectedToOidcLoginWithTarget()
    {
        using var browser = fixture.Browser();

        var response = await browser.GetAsync("/sso/hub/");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith(fixture.Portico.BaseAddress + "sso/oidc/login?targetId=", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(reason, body.RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("X-Qlik-Session", StringComparison.Ordinal)));
        await fixture.RefusalAsync(reason);
    }

    /// <summary>Starts a login and returns the provider's authorization URL (with state and nonce).</summary>
    private static async Task<Uri> StartAsync(HttpClient browser, string path)
    {
        var response = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>The whole login as a browser does it, the provider's login form included.</summary>
    internal static async Task<(string Callback, string Landing)> LogInAsync(HttpClient browser, string page, string user)
    {
        var url = new Uri(browser.BaseAddress!, page);
        string? callback = null;
        for (var hops = 0; hops < 20; hops++)
        {
            var response = await browser.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.OK && url.AbsolutePath.StartsWith("/interaction/", StringComparison.Ordinal))
            {
                response = await browser.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = user }));
            }

            if ((int)response.StatusCode is < 300 or >= 400)
            {
                Assert.Fail($"{url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            var next = new Uri(url, response.Headers.Location!);
            if (url.AbsolutePath == "/sso/oidc/callback")
            {
                callback = url.ToString();
                return (callback, next.ToString());
            }

            url = next;
        }

        throw new InvalidOperationException("the login did not come back to Portico");
    }

    private static string Query(Uri url, string name) => Query(url.ToString(), name);

    private static string Query(string url, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(url).Query)[name].ToString();
}
