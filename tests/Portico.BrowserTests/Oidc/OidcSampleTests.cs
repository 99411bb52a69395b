using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Portico.Samples;
using Xunit.Abstractions;

namespace Portico.BrowserTests.Oidc;

/// <summary>
/// samples/oidc against the samples' Portico and the real provider (npm oidc-provider) that
/// <see cref="MashupEnvironment"/> starts for it: the page signs in at the provider in a popup and
/// then does Qlik's WebSocket CSRF flow on the session cookie; the Node.js script does the same by
/// filling in the provider's login form over HTTP.
/// </summary>
[Collection(MashupBrowser.Name)]
public sealed class OidcSampleTests(MashupEnvironment environment, ITestOutputHelper output)
{
    private const string Alice = "UserDirectory=IDP; UserId=alice";

    /// <summary>
    /// Both allowed sites: the popup goes to the provider's login page, comes back to Portico (which
    /// sets its cookie in a top-level window of its own site), and the page then reads the token
    /// through CORS and renders the data read over the engine WebSocket as the provider's user.
    /// </summary>
    [Theory]
    [InlineData(SampleSites.SessionApiA)]
    [InlineData(SampleSites.SessionApiB)]
    public async Task Page_SignInAtProviderInPopup_RendersSalesData(string site)
    {
        var before = environment.Engine.ObservedRequests.Count;
        await using var context = await environment.NewContextAsync();
        var page = await context.NewPageAsync();
        var console = new ConcurrentQueue<string>();
        page.Console += (_, message) => console.Enqueue($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => console.Enqueue("pageerror: " + error);

        await page.GotoAsync(environment.SiteUrl(site, "oidc/"));
        var popup = await page.RunAndWaitForPopupAsync(() => page.ClickAsync("#sign-in"));
        await popup.Locator("#login").WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        Assert.StartsWith("https://localhost:", popup.Url, StringComparison.Ordinal);
        await popup.FillAsync("#login", "alice");
        // The page closes the popup as soon as the session exists.
        await popup.ClickAsync("#submit");

        var status = page.Locator("#status[data-state=ready], #status[data-state=error]");
        await status.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(environment.ScreenshotDirectory, $"oidc-{site}.png"), FullPage = true });
        var rows = new Dictionary<string, string>();
        foreach (var row in await page.Locator("#sales tbody tr").AllAsync())
        {
            var cells = await row.Locator("td").AllInnerTextsAsync();
            rows[cells[0]] = cells[1];
        }

        var describe = $"{await status.InnerTextAsync()}; login: {await page.Locator("#step-login").InnerTextAsync()}; console: {string.Join(" | ", console)}";
        output.WriteLine(describe);
        Assert.True(await status.GetAttributeAsync("data-state") == "ready", describe);
        Assert.Equal("signed in at the provider", await page.Locator("#step-login").InnerTextAsync());
        Assert.Equal("received", await page.Locator("#step-token").InnerTextAsync());
        Assert.Equal("open", await page.Locator("#step-socket").InnerTextAsync());
        Assert.Equal(MashupAssert.SalesByRegion.OrderBy(p => p.Key), rows.OrderBy(p => p.Key));
        Assert.True(popup.IsClosed, "the page closes the login popup once signed in");
        var socket = Assert.Single(environment.Engine.ObservedRequests.Skip(before), r => r.IsWebSocket);
        Assert.StartsWith(Alice, socket.Headers["x-qlik-user"], StringComparison.Ordinal);
        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "X-Qlik-Session-oidc");
        Assert.True(cookie.Secure && cookie.HttpOnly);
    }

    [Fact]
    public async Task Script_SignsInAtProviderForm_PrintsSalesByRegion()
    {
        var (exitCode, result) = await RunAsync("alice");

        Assert.True(exitCode == 0 && result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.StartsWith(Alice, result.GetProperty("user").GetString(), StringComparison.Ordinal);
        var rows = result.GetProperty("rows").EnumerateArray().ToDictionary(
            row => row[0].GetString()!,
            row => row[1].GetDouble().ToString("N0", CultureInfo.InvariantCulture));
        Assert.Equal(MashupAssert.SalesByRegion.OrderBy(p => p.Key), rows.OrderBy(p => p.Key));
        var steps = result.GetProperty("steps").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.Contains(steps, s => s.StartsWith("signed in as alice", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.StartsWith("qlik-csrf-token read", StringComparison.Ordinal));
    }

    /// <summary>A user the provider does not know gets no login, hence no session and no data.</summary>
    [Fact]
    public async Task Script_UnknownUserAtProvider_GetsNoSession()
    {
        var (exitCode, result) = await RunAsync("mallory");

        Assert.NotEqual(0, exitCode);
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Contains("did not sign mallory in", result.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, JsonElement Result)> RunAsync(string user)
    {
        var environmentVariables = new Dictionary<string, string>
        {
            ["PORTICO_URL"] = $"https://localhost:{environment.PorticoPort}",
            ["PORTICO_QPS_URL"] = $"https://localhost:{environment.QpsPort}",
            ["PORTICO_DATA"] = environment.PorticoDataDirectory,
            ["PORTICO_PREFIX"] = MashupEnvironment.OidcPrefix,
            ["PORTICO_OIDC_CA"] = environment.OidcProviderCaPath,
            ["PORTICO_USER"] = user,
        };
        var (exitCode, text) = await SamplePackages.RunScriptAsync("oidc", environmentVariables);
        output.WriteLine(text);
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException($"samples/oidc/oidc.mjs printed no result (exit {exitCode}): {text}");
        using var json = JsonDocument.Parse(line);
        return (exitCode, json.RootElement.Clone());
    }
}
