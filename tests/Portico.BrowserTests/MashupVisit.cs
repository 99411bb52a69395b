using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Portico.BrowserTests;

/// <summary>
/// What a visitor saw on the sample mashup page, read from the DOM once the page settled, with
/// what the browser's network layer reported alongside (for assertions and failure messages).
/// </summary>
internal sealed record MashupVisit(
    string Url,
    string State,
    string Status,
    string Token,
    string Socket,
    IReadOnlyList<string> Docs,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    IReadOnlyList<BrowserContextCookiesResult> Cookies,
    IReadOnlyList<string> ProxySetCookies,
    IReadOnlyList<string> SocketErrors,
    IReadOnlyList<string> Console,
    string ScreenshotPath)
{
    /// <summary>Opens <paramref name="url"/> in a fresh browser context, waits for the page to finish, and takes a screenshot.</summary>
    /// <param name="interact">What the visitor does on the page once it is loaded (e.g. a login in another window).</param>
    public static async Task<MashupVisit> OpenAsync(MashupEnvironment environment, string url, string screenshotName, Func<IPage, Task>? interact = null)
    {
        await using var context = await environment.NewContextAsync();
        var page = await context.NewPageAsync();
        var proxySetCookies = new ConcurrentQueue<string>();
        var socketErrors = new ConcurrentQueue<string>();
        var console = new ConcurrentQueue<string>();
        var pending = new ConcurrentQueue<Task>();
        page.Console += (_, message) => console.Enqueue($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => console.Enqueue("pageerror: " + error);
        page.WebSocket += (_, socket) => socket.SocketError += (_, error) => socketErrors.Enqueue(error);
        page.Response += (_, response) =>
        {
            if (response.Url.Contains(MashupEnvironment.ProxyHost, StringComparison.Ordinal))
            {
                pending.Enqueue(CollectSetCookieAsync(response, proxySetCookies));
            }
        };

        await page.GotoAsync(url);
        if (interact is not null)
        {
            await interact(page);
        }

        var status = page.Locator("#status[data-state=ready], #status[data-state=error]");
        await status.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        var screenshot = Path.Combine(environment.ScreenshotDirectory, screenshotName + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        await Task.WhenAll(pending);

        var rows = new List<IReadOnlyList<string>>();
        foreach (var row in await page.Locator("#sales tbody tr").AllAsync())
        {
            rows.Add(await row.Locator("td").AllInnerTextsAsync());
        }

        return new MashupVisit(
            url,
            await status.GetAttributeAsync("data-state") ?? "",
            await status.InnerTextAsync(),
            await page.Locator("#step-token").InnerTextAsync(),
            await page.Locator("#step-socket").InnerTextAsync(),
            await page.Locator("#doc-list li").AllInnerTextsAsync(),
            rows,
            await context.CookiesAsync(),
            [.. proxySetCookies],
            [.. socketErrors],
            [.. console],
            screenshot);
    }

    /// <summary>Everything observed, for assertion messages.</summary>
    public string Describe() => string.Join(Environment.NewLine,
    [
        $"page {Url}: {State} - {Status}",
        $"  token: {Token}; socket: {Socket}",
        $"  docs: [{string.Join(", ", Docs)}]; rows: {Rows.Count}",
        $"  cookies in the browser: [{string.Join("; ", Cookies.Select(c => $"{c.Name} on {c.Domain} (sameSite {c.SameSite}, partitionKey {c.PartitionKey ?? "none"})"))}]",
        $"  Set-Cookie from the proxy: [{string.Join(" | ", ProxySetCookies)}]",
        $"  WebSocket errors: [{string.Join(" | ", SocketErrors)}]",
        $"  console: [{string.Join(" | ", Console)}]",
        $"  screenshot: {ScreenshotPath}",
    ]);

    private static async Task CollectSetCookieAsync(IResponse response, ConcurrentQueue<string> into)
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
}
