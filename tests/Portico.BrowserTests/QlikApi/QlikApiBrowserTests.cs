using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Playwright;
using Portico.TestSupport;
using Xunit.Abstractions;

namespace Portico.BrowserTests.QlikApi;

/// <summary>
/// samples/jwt/qlik-api.html: the unmodified @qlik/api from npm in Chromium, on a mashup site: it logs in with a JWT through
/// hostConfig.getAccessToken, loads its runtime from the demo engine's /qlik-embed/main.js through
/// Portico's JWT virtual proxy, opens the app and renders hypercube values. The library's ES modules
/// come straight from samples/node_modules, served on the mashup sites (samples/jwt/qlik-api.html).
/// </summary>
[Collection(MashupBrowser.Name)]
public sealed class QlikApiBrowserTests(MashupEnvironment environment, ITestOutputHelper output)
{
    [Theory]
    [InlineData(MashupEnvironment.SiteA, false)]
    [InlineData(MashupEnvironment.SiteB, false)]
    [InlineData(MashupEnvironment.SiteA, true)]
    public async Task AllowListedSite_JwtThroughGetAccessToken_RendersHyperCube(string site, bool autoResume)
    {
        var visit = await VisitAsync(site, autoResume);

        Assert.True(visit.State == "ready", visit.Describe());
        Assert.Equal("Sales Demo", visit.Status);
        var rendered = visit.Rows.ToDictionary(row => row[0], row => row[1]);
        Assert.Equal(SalesDemoFigures.SalesByRegion.OrderBy(p => p.Key), rendered.OrderBy(p => p.Key));

        // Qlik's runtime came from the engine, through the virtual proxy, with the session cookie.
        Assert.Contains(visit.ProxyResponses, r => r.EndsWith("/qlik-embed/main.js 200", StringComparison.Ordinal));
        Assert.Contains(visit.ProxyResponses, r => r.Contains("/qlik-embed/modules/@qlik/api/chunks/qix-", StringComparison.Ordinal) && r.EndsWith(" 200", StringComparison.Ordinal));
        Assert.Contains(visit.ProxyResponses, r => r.Contains("/qlik-embed/commonjs/extend 200", StringComparison.Ordinal));
        if (!autoResume)
        {
            // Only the plain session uses enigma.js; the resumable one has its own socket code.
            Assert.Contains(visit.ProxyResponses, r => r.Contains("/qlik-embed/commonjs/enigma.js 200", StringComparison.Ordinal));
        }
        Assert.Contains(visit.ProxySetCookies, c => c.StartsWith("X-Qlik-Session-" + MashupEnvironment.JwtPrefix + "=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StrangerSite_SamePage_IsRefusedBeforeAnyCredentialIsSent()
    {
        var origin = environment.Origin(MashupEnvironment.EvilSite);
        var visit = await VisitAsync(MashupEnvironment.EvilSite, autoResume: false);

        // Portico answers the preflight of the JWT-carrying fetch without CORS headers, so Chromium
        // never sends the request: no session, no runtime, no socket, no data.
        Assert.True(visit.State == "error", visit.Describe());
        Assert.Empty(visit.Rows);
        Assert.Empty(visit.ProxySetCookies);
        Assert.Contains(visit.Console, line => line.Contains("CORS policy", StringComparison.Ordinal) && line.Contains("/qlik-embed/main.js", StringComparison.Ordinal));
        Assert.DoesNotContain(environment.Engine.ObservedRequests, r => r.Headers.GetValueOrDefault("origin") == origin);
    }

    private async Task<QlikApiVisit> VisitAsync(string site, bool autoResume)
    {
        await using var context = await environment.NewContextAsync();
        var origin = environment.Origin(site);

        var page = await context.NewPageAsync();
        var console = new ConcurrentQueue<string>();
        var proxyResponses = new ConcurrentQueue<string>();
        var setCookies = new ConcurrentQueue<string>();
        var pending = new ConcurrentQueue<Task>();
        page.Console += (_, message) => console.Enqueue($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => console.Enqueue("pageerror: " + error);
        page.Response += (_, response) =>
        {
            if (response.Url.Contains(MashupEnvironment.ProxyHost, StringComparison.Ordinal))
            {
                proxyResponses.Enqueue($"{response.Request.Method} {new Uri(response.Url).AbsolutePath} {response.Status.ToString(CultureInfo.InvariantCulture)}");
                pending.Enqueue(CollectSetCookiesAsync(response, setCookies));
            }
        };

        var url = origin + "/jwt/qlik-api.html" + (autoResume ? "?autoResume=1" : "");
        await page.GotoAsync(url);
        var status = page.Locator("#status[data-state=ready], #status[data-state=error]");
        await status.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(environment.ScreenshotDirectory, $"qlik-api-{site}{(autoResume ? "-resume" : "")}.png") });
        await Task.WhenAll(pending);

        var rows = new List<IReadOnlyList<string>>();
        foreach (var row in await page.Locator("#sales tbody tr").AllAsync())
        {
            rows.Add(await row.Locator("td").AllInnerTextsAsync());
        }

        var visit = new QlikApiVisit(
            url,
            await status.GetAttributeAsync("data-state") ?? "",
            await status.InnerTextAsync(),
            await status.GetAttributeAsync("data-open-ms"),
            rows,
            [.. proxyResponses],
            [.. setCookies],
            [.. console]);
        output.WriteLine($"@qlik/api in Chromium on {site}, autoResume {autoResume}: opened in {visit.OpenMs ?? "-"} ms");
        output.WriteLine(visit.Describe());
        return visit;
    }

    private static async Task CollectSetCookiesAsync(IResponse response, ConcurrentQueue<string> into)
    {
        try
        {
            foreach (var header in await response.HeadersArrayAsync())
            {
                if (header.Name.Equals("set-cookie", StringComparison.OrdinalIgnoreCase))
                {
                    into.Enqueue(header.Value);
                }
            }
        }
        catch (PlaywrightException)
        {
            // The page or context went away first; nothing to record.
        }
    }

    private sealed record QlikApiVisit(
        string Url,
        string State,
        string Status,
        string? OpenMs,
        IReadOnlyList<IReadOnlyList<string>> Rows,
        IReadOnlyList<string> ProxyResponses,
        IReadOnlyList<string> ProxySetCookies,
        IReadOnlyList<string> Console)
    {
        public string Describe() => string.Join(Environment.NewLine,
        [
            $"page {Url}: {State} - {Status}; rows: {Rows.Count}",
            $"  proxy responses: [{string.Join(" | ", ProxyResponses)}]",
            $"  Set-Cookie from the proxy: [{string.Join(" | ", ProxySetCookies)}]",
            $"  console: [{string.Join(" | ", Console)}]",
        ]);
    }
}
