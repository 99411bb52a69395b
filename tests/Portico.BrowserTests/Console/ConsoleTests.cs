using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portico.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Portico.BrowserTests.Console;

/// <summary>
/// The web console in Chromium, as an administrator uses it (docs/admin-api.md, "The console"):
/// signed in with a ticket on the console's virtual proxy; refused to a non-admin and to anyone
/// anonymous; never framed; a virtual proxy created with an error shown at its field, reviewed as
/// a diff, applied and then serving enigma.js; a live session revoked; both changes in the audit
/// log under the console user. Screenshots go to artifacts/console/.
/// </summary>
public sealed partial class ConsoleTests(ConsoleEnvironment environment) : IClassFixture<ConsoleEnvironment>
{
    private const string ExpectedCsp =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly string AdminName = $"{ConsoleEnvironment.Directory}\\{ConsoleEnvironment.Admin}";

    [Fact]
    public async Task Admin_SignsInWithTicket_SeesVirtualProxiesWithoutScriptErrors()
    {
        await using var visit = await ConsoleVisit.OpenAsync(environment);
        var page = visit.Page;

        var response = await environment.SignInAsync(page, ConsoleEnvironment.Admin);

        Assert.Equal(200, response!.Status);
        Assert.Equal(environment.ConsoleUrl, page.Url.Split('#')[0]);
        await Expect(page.Locator("tr[data-prefix='ticket']")).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-prefix='mashup']")).ToContainTextAsync("Ticket");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Virtual proxies" })).ToHaveAttributeAsync("aria-current", "page");
        await ConsoleEnvironment.ScreenshotAsync(page, "virtual-proxies");
        Assert.Empty(visit.Errors);
    }

    [Fact]
    public async Task NotAnAdmin_SignedIn_GetsTheRefusedPageAndNoData()
    {
        await using var visit = await ConsoleVisit.OpenAsync(environment);
        var page = visit.Page;

        var response = await environment.SignInAsync(page, ConsoleEnvironment.NotAdmin);

        Assert.Equal(403, response!.Status);
        await Expect(page.Locator("body")).ToContainTextAsync("not an administrator", new() { IgnoreCase = true });
        await Expect(page.Locator("tr[data-prefix]")).ToHaveCountAsync(0);
        // The session is real (bob signed in), so the API's own refusal is what keeps the data back.
        var api = await FetchAsync(page, "api/qrs/virtualproxyconfig/full");
        Assert.Equal(403, api.Status);
        Assert.Equal("not_an_admin", JsonDocument.Parse(api.Body).RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain(ConsoleEnvironment.MashupPrefix, api.Body, StringComparison.Ordinal);
        var sessions = await FetchAsync(page, "api/qrs/portico/session");
        Assert.Equal(403, sessions.Status);
        await ConsoleEnvironment.ScreenshotAsync(page, "not-an-admin");
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("GET", "console.js")]
    [InlineData("GET", "api.js")]
    [InlineData("GET", "api/qrs/virtualproxyconfig/full")]
    [InlineData("GET", "api/qrs/portico/session")]
    [InlineData("GET", "api/qrs/portico/audit")]
    [InlineData("GET", "api/qrs/portico/enginenode")]
    [InlineData("POST", "api/qrs/virtualproxyconfig")]
    [InlineData("POST", "api/qrs/portico/origincheck")]
    [InlineData("DELETE", "api/qrs/portico/session/anything")]
    public async Task Anonymous_AnyConsoleRequest_IsChallengedAndGetsNothing(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"{ConsoleEnvironment.ConsolePrefix}/console/{path}");
        if (method != "GET")
        {
            request.Content = new StringContent("{\"prefix\":\"anonymous-made\"}", System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await environment.Anonymous.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.Found or HttpStatusCode.Redirect,
            $"{method} {path}: {(int)response.StatusCode} {body}");
        Assert.DoesNotContain(ConsoleEnvironment.MashupPrefix, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Portico console", body, StringComparison.Ordinal);
        Assert.DoesNotContain("import ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_BrowserOpeningTheConsole_SeesNoConsole()
    {
        await using var visit = await ConsoleVisit.OpenAsync(environment);

        var response = await visit.Page.GotoAsync(environment.ConsoleUrl);

        Assert.NotEqual(200, response!.Status);
        await Expect(visit.Page.Locator("nav, tr[data-prefix]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ConsoleResponses_CarryTheContractHeaders()
    {
        await using var visit = await ConsoleVisit.OpenAsync(environment);
        var page = visit.Page;
        var responses = new List<IResponse>();
        page.Response += (_, r) =>
        {
            if (r.Url.Contains("/console/", StringComparison.Ordinal))
            {
                lock (responses)
                {
                    responses.Add(r);
                }
            }
        };

        await environment.SignInAsync(page, ConsoleEnvironment.Admin);
        await Expect(page.Locator("tr[data-prefix='ticket']")).ToBeVisibleAsync();

        List<IResponse> seen;
        lock (responses)
        {
            seen = [.. responses.Where(r => r.Status == 200)];
        }

        // The page, its stylesheet and modules, and the API answers: every one with the same headers.
        Assert.Contains(seen, r => r.Url.EndsWith("/console/", StringComparison.Ordinal));
        Assert.Contains(seen, r => r.Url.EndsWith("/console.css", StringComparison.Ordinal));
        Assert.Contains(seen, r => r.Url.EndsWith("/proxies.js", StringComparison.Ordinal));
        Assert.Contains(seen, r => r.Url.Contains("/api/qrs/", StringComparison.Ordinal));
        foreach (var response in seen)
        {
            var headers = await response.AllHeadersAsync();
            Assert.True(headers.TryGetValue("content-security-policy", out var csp), response.Url);
            Assert.Equal(ExpectedCsp, csp);
            Assert.Equal("DENY", headers["x-frame-options"]);
            Assert.Equal("no-store", headers["cache-control"]);
            Assert.Equal("nosniff", headers["x-content-type-options"]);
            Assert.Equal("same-origin", headers["referrer-policy"]);
        }

        Assert.Empty(visit.Errors);
    }

    [Fact]
    public async Task PageOnAnotherSite_FramingTheConsole_GetsNothing()
    {
        await using var visit = await ConsoleVisit.OpenAsync(environment);
        var page = visit.Page;
        var framed = page.WaitForResponseAsync(r => r.Url == environment.ConsoleUrl);
        // The frame signs in on its own (a ticket on its URL), so the console answers it in full.
        var ticket = await environment.TicketAsync(ConsoleEnvironment.Admin);
        await page.GotoAsync($"{environment.StrangerPageUrl}?frame={Uri.EscapeDataString($"{environment.ConsoleUrl}?qlikTicket={ticket}")}");
        // Portico answered the frame's request; the browser then refused to show it.
        var answer = await framed;
        Assert.Equal(200, answer.Status);
        Assert.Contains("frame-ancestors 'none'", await answer.HeaderValueAsync("content-security-policy") ?? string.Empty, StringComparison.Ordinal);
        await Expect(page.Locator("body[data-loaded='yes']")).ToHaveCountAsync(1);

        var frame = page.Frames.Single(f => f != page.MainFrame);
        Assert.DoesNotContain("Portico console", await frame.TitleAsync(), StringComparison.Ordinal);
        await Expect(page.FrameLocator("#victim").Locator("nav, main, tr[data-prefix]")).ToHaveCountAsync(0);
        await ConsoleEnvironment.ScreenshotAsync(page, "framed-by-another-site");
    }

    [Fact]
    public async Task Admin_CreatesVirtualProxy_ErrorAtPrefix_FixReviewApply_ThenItServesEnigma()
    {
        await using var visit = await ConsoleVisit.OpenAsync(environment);
        var page = visit.Page;
        await environment.SignInAsync(page, ConsoleEnvironment.Admin);
        const string prefix = "made-in-console";

        await page.GetByRole(AriaRole.Link, new() { Name = "New virtual proxy" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New virtual proxy" })).ToBeVisibleAsync();
        await AssertEveryInputLabelledAsync(page);
        await FillNewProxyAsync(page, "bad prefix/", prefix);
        await page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();

        // The error is at the prefix input: focused, marked invalid, its message linked.
        var prefixInput = page.GetByLabel("Prefix", new() { Exact = true });
        await Expect(prefixInput).ToBeFocusedAsync();
        await Expect(prefixInput).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(prefixInput).ToHaveAttributeAsync("aria-describedby", new Regex(@"\bvp-prefix-error\b"));
        await Expect(page.Locator("#vp-prefix-error")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-error-summary]")).ToContainTextAsync("prefix");
        await ConsoleEnvironment.ScreenshotAsync(page, "create-prefix-error");

        // Fixed, and submitted from the keyboard: the dry run's diff is shown, nothing applied yet.
        await prefixInput.FillAsync(prefix);
        await prefixInput.PressAsync("Enter");
        var diff = page.Locator("[data-diff-rows] tr[data-field='prefix']");
        await Expect(diff.Locator(".after")).ToHaveTextAsync(prefix);
        await Expect(page.Locator("#review-title")).ToBeFocusedAsync();
        await Expect(page.Locator("[data-diff-rows] tr[data-field='loadBalancingServerNodes'] .after")).ToContainTextAsync(environment.EngineUrl);
        Assert.False((await RunEnigmaAsync(prefix)).Ok, "a dry run must not apply the virtual proxy");
        await ConsoleEnvironment.ScreenshotAsync(page, "create-review");

        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync($"/{prefix}/ created");
        await Expect(page.Locator($"tr[data-prefix='{prefix}']")).ToContainTextAsync("Always anonymous");

        var enigma = await RunEnigmaAsync(prefix);
        Assert.True(enigma.Ok, enigma.RawJson);
        Assert.Contains("ANONYMOUS", enigma.Result(EnigmaSteps.GetAuthenticatedUser).GetString(), StringComparison.Ordinal);
        Assert.Empty(visit.UnexpectedErrors("400"));
    }

    [Fact]
    public async Task Admin_RevokesLiveSession_SocketIsNotifiedAndClosed_AuditShowsCreateAndRevokeByConsoleUser()
    {
        await using var visit = await ConsoleVisit.OpenAsync(environment);
        var page = visit.Page;
        await environment.SignInAsync(page, ConsoleEnvironment.Admin);
        const string prefix = "audited-in-console";
        await CreateThroughConsoleAsync(page, prefix);

        // A mashup user's engine session through another virtual proxy, held open.
        var ticket = await environment.TicketAsync("carol", ConsoleEnvironment.MashupPrefix);
        var held = NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
        {
            Url = $"wss://127.0.0.1:{environment.PorticoPort}/{ConsoleEnvironment.MashupPrefix}/app/engineData?qlikTicket={Uri.EscapeDataString(ticket)}",
            CaFile = environment.CaPath,
            Steps = [EnigmaSteps.GetAuthenticatedUser],
            HoldOpenMs = 60_000,
            TimeoutMs = 75_000,
        });

        await page.GetByRole(AriaRole.Link, new() { Name = "Sessions" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Live sessions" })).ToBeVisibleAsync();
        await AssertEveryInputLabelledAsync(page);
        var carol = page.Locator("tr[data-session-user='DEMO\\\\carol']");
        await RefreshUntilVisibleAsync(page, carol, held);
        await Expect(carol).ToContainTextAsync(ConsoleEnvironment.MashupPrefix);

        // Narrowed to the console's own virtual proxy, carol's session is not listed; to hers, it is.
        var filters = page.Locator("form[data-filters]");
        await filters.GetByLabel("Virtual proxy").SelectOptionAsync(ConsoleEnvironment.ConsolePrefix);
        await filters.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(carol).ToHaveCountAsync(0);
        await Expect(page.Locator($"tr[data-session-user='{AdminName.Replace("\\", "\\\\", StringComparison.Ordinal)}']").First).ToBeVisibleAsync();
        await filters.GetByLabel("Virtual proxy").SelectOptionAsync(ConsoleEnvironment.MashupPrefix);
        await filters.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(carol).ToHaveCountAsync(1);
        await ConsoleEnvironment.ScreenshotAsync(page, "sessions");

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke the session of DEMO\\carol" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("DEMO\\carol revoked");

        var run = await held.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("UserDirectory=DEMO; UserId=carol", run.Result(EnigmaSteps.GetAuthenticatedUser).GetString());
        Assert.Contains(run.Notifications, n => n.Method == "OnSessionClosed");
        Assert.Equal(1000, run.CloseCode);
        await Expect(carol).ToHaveCountAsync(0);

        // The audit page, narrowed to what the console user did: both changes.
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log" })).ToBeVisibleAsync();
        await AssertEveryInputLabelledAsync(page);
        await page.GetByLabel("User").FillAsync(AdminName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("shown");
        var created = page.Locator("tr[data-event='admin.virtualproxy.created']", new() { HasText = prefix });
        await Expect(created).ToHaveCountAsync(1);
        await Expect(created).ToContainTextAsync(AdminName);
        var revoked = page.Locator("tr[data-event='admin.session.revoked']");
        await Expect(revoked.First).ToContainTextAsync(AdminName);
        await ConsoleEnvironment.ScreenshotAsync(page, "audit");

        // The decision filter narrows the list to that outcome.
        await page.GetByLabel("Decision").SelectOptionAsync("failure");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.Locator("tr[data-event='admin.virtualproxy.created']")).ToHaveCountAsync(0);
        await Expect(page.Locator("tr[data-event='admin.session.revoked']")).ToHaveCountAsync(0);
        Assert.Empty(visit.Errors);
    }

    [Fact]
    public async Task Admin_DeletesVirtualProxy_OnlyAfterConfirming_RetryingOnceWithAFreshCsrfToken()
    {
        await using var visit = await ConsoleVisit.OpenAsync(environment);
        var page = visit.Page;
        await environment.SignInAsync(page, ConsoleEnvironment.Admin);
        const string prefix = "deleted-in-console";
        await CreateThroughConsoleAsync(page, prefix);
        var row = page.Locator($"tr[data-prefix='{prefix}']");
        var delete = page.GetByRole(AriaRole.Button, new() { Name = $"Delete /{prefix}/" });

        await delete.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync(prefix);
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(delete).ToBeFocusedAsync();
        await Expect(row).ToHaveCountAsync(1);

        // The first DELETE is answered as if the page's token had expired (403 CSRF-TOKEN-2): the
        // page fetches a new token and sends the DELETE once more, with it.
        var writes = new List<string?>();
        var tokenFetches = 0;
        page.Request += (_, r) =>
        {
            if (r.Url.Contains("/qps/csrftoken", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref tokenFetches);
            }
        };
        await page.RouteAsync("**/api/qrs/virtualproxyconfig/*", async route =>
        {
            if (route.Request.Method != "DELETE")
            {
                await route.ContinueAsync();
                return;
            }

            var headers = await route.Request.AllHeadersAsync();
            lock (writes)
            {
                writes.Add(headers.GetValueOrDefault("qlik-csrf-token"));
                if (writes.Count == 1)
                {
                    _ = route.FulfillAsync(new RouteFulfillOptions
                    {
                        Status = 403,
                        ContentType = "application/json",
                        Body = "{\"error\":\"csrf\",\"message\":\"Request refused.\",\"code\":\"CSRF-TOKEN-2\"}",
                    });
                    return;
                }
            }

            await route.ContinueAsync();
        });
        var tokensBefore = tokenFetches;

        await delete.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync($"/{prefix}/ deleted");
        await Expect(row).ToHaveCountAsync(0);
        Assert.Equal(2, writes.Count);
        Assert.All(writes, token => Assert.False(string.IsNullOrEmpty(token)));
        Assert.Equal(tokensBefore + 1, tokenFetches);
        Assert.False((await RunEnigmaAsync(prefix)).Ok);

        // The console's own virtual proxy cannot be deleted: the refusal and its reason are shown.
        await page.UnrouteAllAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete /{ConsoleEnvironment.ConsolePrefix}/" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.Locator("#status[data-kind='error']")).ToContainTextAsync("nothing was applied");
        await Expect(page.Locator($"tr[data-prefix='{ConsoleEnvironment.ConsolePrefix}']")).ToHaveCountAsync(1);
        await ConsoleEnvironment.ScreenshotAsync(page, "delete-refused");
        Assert.Empty(visit.UnexpectedErrors("403", "400"));
    }

    [Fact]
    public async Task Admin_ChangingAVirtualProxySomeoneElseChanged_IsToldAndReviewsAgainstTheCurrentOne()
    {
        await using var visit = await ConsoleVisit.OpenAsync(environment);
        var page = visit.Page;
        await environment.SignInAsync(page, ConsoleEnvironment.Admin);
        const string prefix = "conflict-in-console";
        await CreateThroughConsoleAsync(page, prefix);
        await page.GetByRole(AriaRole.Link, new() { Name = $"Edit /{prefix}/" }).ClickAsync();
        await page.GetByLabel("Description").FillAsync("first admin's description");

        // Meanwhile another tab changes the same virtual proxy.
        var other = await visit.Context.NewPageAsync();
        await other.GotoAsync(environment.ConsoleUrl);
        await other.GetByRole(AriaRole.Link, new() { Name = $"Edit /{prefix}/" }).ClickAsync();
        await other.GetByLabel("Description").FillAsync("second admin's description");
        await other.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
        await other.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(other.Locator("#status")).ToContainTextAsync("updated");

        // The first tab's modifiedDate is stale: 409, said so, and the next review diffs against the current one.
        await page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Someone else changed this virtual proxy");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Review changes" })).ToBeFocusedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
        var description = page.Locator("[data-diff-rows] tr[data-field='description']");
        await Expect(description.Locator(".before")).ToHaveTextAsync("second admin's description");
        await Expect(description.Locator(".after")).ToHaveTextAsync("first admin's description");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.Locator($"tr[data-prefix='{prefix}']")).ToContainTextAsync("first admin's description");
        Assert.Empty(visit.UnexpectedErrors("409"));
    }

    [Fact]
    public async Task OriginAllowList_CheckFromTheServer_ShowsEachCheck()
    {
        await using var visit = await ConsoleVisit.OpenAsync(environment);
        var page = visit.Page;
        await environment.SignInAsync(page, ConsoleEnvironment.Admin);
        const string prefix = "origins-in-console";
        const string origin = "https://app.example";
        await CreateThroughConsoleAsync(page, prefix);

        await page.GetByRole(AriaRole.Link, new() { Name = $"Edit /{prefix}/" }).ClickAsync();
        await page.GetByLabel("Add an origin").FillAsync(origin);
        await page.GetByLabel("Add an origin").PressAsync("Enter");
        var item = page.Locator($"[data-origin-list] li[data-origin='{origin}']");
        await Expect(item).ToHaveCountAsync(1);
        // Not saved yet: the check asks the running virtual proxy, so it waits for the apply.
        await Expect(item.GetByRole(AriaRole.Button, new() { Name = $"Check {origin}" })).ToBeDisabledAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
        await Expect(page.Locator("[data-diff-rows] tr[data-field='websocketCrossOriginWhiteList'] .after")).ToHaveTextAsync(origin);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("updated");

        await page.GetByRole(AriaRole.Link, new() { Name = $"Edit /{prefix}/" }).ClickAsync();
        await item.GetByRole(AriaRole.Button, new() { Name = $"Check {origin}" }).ClickAsync();
        var checks = item.Locator("[data-checks] li");
        await Expect(checks.First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        Assert.True(await checks.CountAsync() >= 3, await item.InnerTextAsync());
        await Expect(item.Locator("[data-checks] li.failed")).ToHaveCountAsync(0);
        await ConsoleEnvironment.ScreenshotAsync(page, "origin-check");
        Assert.Empty(visit.Errors);
    }

    private Task<EnigmaRunResult> RunEnigmaAsync(string prefix) =>
        NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
        {
            Url = $"wss://127.0.0.1:{environment.PorticoPort}/{prefix}/app/engineData",
            CaFile = environment.CaPath,
            Steps = [EnigmaSteps.EngineVersion, EnigmaSteps.GetAuthenticatedUser],
        });

    private async Task FillNewProxyAsync(IPage page, string prefix, string cookieSuffix)
    {
        await page.GetByLabel("Prefix", new() { Exact = true }).FillAsync(prefix);
        await page.GetByLabel("Description").FillAsync("Made in the console");
        await page.GetByLabel("Session cookie name").FillAsync("X-Qlik-Session-" + cookieSuffix);
        await page.GetByLabel("Method").SelectOptionAsync("0");
        await page.GetByLabel("Anonymous access").SelectOptionAsync("2");
        await page.GetByLabel("Engine URLs").FillAsync(environment.EngineUrl);
    }

    /// <summary>Creates an anonymous virtual proxy through the form (review, apply) and waits for it in the list.</summary>
    private async Task CreateThroughConsoleAsync(IPage page, string prefix)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Virtual proxies" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New virtual proxy" }).ClickAsync();
        await FillNewProxyAsync(page, prefix, prefix);
        await page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.Locator($"tr[data-prefix='{prefix}']")).ToHaveCountAsync(1);
    }

    /// <summary>Refreshes the sessions page until <paramref name="row"/> shows, or the held session ends first.</summary>
    private static async Task RefreshUntilVisibleAsync(IPage page, ILocator row, Task<EnigmaRunResult> held)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await row.CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the held session never showed on the sessions page");
            Assert.False(held.IsCompleted, held.IsCompleted ? (await held).RawJson : null);
            var answer = page.WaitForResponseAsync(r => r.Url.Contains("/api/qrs/portico/session", StringComparison.Ordinal));
            await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
            await answer;
        }
    }

    /// <summary>Every form control on the page has a label (its accessible name).</summary>
    private static async Task AssertEveryInputLabelledAsync(IPage page)
    {
        var unlabelled = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('input, select, textarea')].filter((e) => e.labels.length === 0).map((e) => e.id || e.name)");
        Assert.Empty(unlabelled);
    }

    /// <summary>A same-origin fetch from the page, as the console's own scripts make it.</summary>
    private static async Task<(int Status, string Body)> FetchAsync(IPage page, string path)
    {
        var result = await page.EvaluateAsync<JsonElement>(
            "async (path) => { const r = await fetch(path, { credentials: 'same-origin' }); return { status: r.status, body: await r.text() }; }",
            path);
        return (result.GetProperty("status").GetInt32(), result.GetProperty("body").GetString() ?? string.Empty);
    }
}
