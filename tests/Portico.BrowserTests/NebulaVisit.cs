using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portico.BrowserTests;

/// <summary>
/// What a visitor saw on the nebula.js mashup page once it settled, and the QIX methods the page's
/// libraries sent on each WebSocket (the URL with its token masked).
/// </summary>
internal sealed partial record NebulaVisit(
    string Url,
    string State,
    string Status,
    string Token,
    string GlobalSocket,
    string EngineUser,
    string AppSocket,
    string Render,
    IReadOnlyList<string> Docs,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    IReadOnlyDictionary<string, IReadOnlyList<string>> MethodsBySocket,
    IReadOnlyList<string> RpcErrors,
    IReadOnlyList<string> SocketErrors,
    IReadOnlyList<string> Console,
    string ScreenshotPath)
{
    public static async Task<NebulaVisit> OpenAsync(MashupEnvironment environment, string site, string screenshotName)
    {
        var url = environment.SiteUrl(site, "jwt/nebula.html");
        await using var context = await environment.NewContextAsync();
        var page = await context.NewPageAsync();
        var socketErrors = new ConcurrentQueue<string>();
        var console = new ConcurrentQueue<string>();
        var methods = new ConcurrentDictionary<string, ConcurrentQueue<string>>();
        var rpcErrors = new ConcurrentQueue<string>();
        page.Console += (_, message) => console.Enqueue($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => console.Enqueue("pageerror: " + error);
        page.WebSocket += (_, socket) =>
        {
            var sent = methods.GetOrAdd(MaskToken(socket.Url), _ => new ConcurrentQueue<string>());
            socket.SocketError += (_, error) => socketErrors.Enqueue(error);
            socket.FrameSent += (_, frame) =>
            {
                if (frame.Text is { } text && MethodOf(text) is { } method)
                {
                    sent.Enqueue(method);
                }
            };
            socket.FrameReceived += (_, frame) =>
            {
                if (frame.Text is { } text && IsErrorResponse(text))
                {
                    rpcErrors.Enqueue(text);
                }
            };
        };

        await page.GotoAsync(url);
        var status = page.Locator("#status[data-state=ready], #status[data-state=error]");
        await status.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var screenshot = Path.Combine(environment.ScreenshotDirectory, screenshotName + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });

        var rows = new List<IReadOnlyList<string>>();
        foreach (var row in await page.Locator("#chart table.portico-sales tbody tr").AllAsync())
        {
            rows.Add(await row.Locator("td").AllInnerTextsAsync());
        }

        return new NebulaVisit(
            url,
            await status.GetAttributeAsync("data-state") ?? "",
            await status.InnerTextAsync(),
            await page.Locator("#step-token").InnerTextAsync(),
            await page.Locator("#step-global").InnerTextAsync(),
            await page.Locator("#global-user").InnerTextAsync(),
            await page.Locator("#step-app").InnerTextAsync(),
            await page.Locator("#step-render").InnerTextAsync(),
            await page.Locator("#doc-list li").AllInnerTextsAsync(),
            rows,
            methods.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value]),
            [.. rpcErrors],
            [.. socketErrors],
            [.. console],
            screenshot);
    }

    public string Describe() => string.Join(Environment.NewLine,
    [
        $"page {Url}: {State} - {Status}",
        $"  token: {Token}; global socket: {GlobalSocket} (user {EngineUser}); app socket: {AppSocket}; render: {Render}",
        $"  docs: [{string.Join(", ", Docs)}]; rows: [{string.Join("; ", Rows.Select(r => string.Join(" = ", r)))}]",
        .. MethodsBySocket.Select(p => $"  sent on {p.Key}: {string.Join(", ", p.Value.Distinct())}"),
        $"  JSON-RPC errors: [{string.Join(" | ", RpcErrors)}]",
        $"  WebSocket errors: [{string.Join(" | ", SocketErrors)}]",
        $"  console: [{string.Join(" | ", Console)}]",
        $"  screenshot: {ScreenshotPath}",
    ]);

    private static string MaskToken(string url) => TokenPattern().Replace(url, "qlik-csrf-token=…");

    private static string? MethodOf(string frame) =>
        Parse(frame, root => root.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String ? method.GetString() : null);

    private static bool IsErrorResponse(string frame) =>
        Parse(frame, root => root.TryGetProperty("error", out _));

    private static T? Parse<T>(string frame, Func<JsonElement, T> read)
    {
        try
        {
            using var message = JsonDocument.Parse(frame);
            return message.RootElement.ValueKind == JsonValueKind.Object ? read(message.RootElement) : default;
        }
        catch (JsonException)
        {
            return default;
        }
    }

    [GeneratedRegex("qlik-csrf-token=[^&]*")]
    private static partial Regex TokenPattern();
}
