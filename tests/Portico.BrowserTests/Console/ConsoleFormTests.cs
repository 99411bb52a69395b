using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portico.BrowserTests.Console;

/// <summary>
/// The virtual proxy form's fields beyond the basics (docs/console.md, "The page"): the fields of
/// the chosen authentication method only, OIDC created through the form with its write-only client
/// secret, a SAML error shown at its input, an unreadable attribute map refused in the page, and
/// an edit of other fields that leaves the stored secret as it was.
/// </summary>
public sealed partial class ConsoleTests
{
    private const string DiscoveryUrl = "https://login.example.invalid/.well-known/openid-configuration";

    [Fact]
    public async Task Admin_CreatesOidcVirtualProxy_DiffShowsOidcFields_ApiReturnsThem_SecretNeverShownBack()
    {
        await using var visit = await ConsoleVisit.OpenAsync(environment);
        var page = visit.Page;
        await environment.SignInAsync(page, ConsoleEnvironment.Admin);
        const string prefix = "oidc-in-console";
        var secret = "s3cret-" + Guid.NewGuid().ToString("N");

        await page.GetByRole(AriaRole.Link, new() { Name = "New virtual proxy" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New virtual proxy" })).ToBeVisibleAsync();
        await AssertEveryInputLabelledAsync(page);

        // Only the chosen method's fields show; switching shows the other method's and hides these.
        var oidc = page.GetByRole(AriaRole.Group, new() { Name = "OIDC" });
        var saml = page.GetByRole(AriaRole.Group, new() { Name = "SAML" });
        await Expect(oidc).ToBeHiddenAsync();
        await page.GetByLabel("Method").SelectOptionAsync("3");
        await Expect(saml).ToBeVisibleAsync();
        await Expect(oidc).ToBeHiddenAsync();
        await page.GetByLabel("SAML entity id").FillAsync("kept while hidden");
        await page.GetByLabel("Method").SelectOptionAsync("5");
        await Expect(oidc).ToBeVisibleAsync();
        await Expect(saml).ToBeHiddenAsync();
        await Expect(page.GetByLabel("SAML entity id")).ToHaveValueAsync("kept while hidden");
        await page.GetByLabel("Method").SelectOptionAsync("3");
        await page.GetByLabel("SAML entity id").FillAsync(string.Empty);
        await page.GetByLabel("Method").SelectOptionAsync("5");

        await page.GetByLabel("Prefix", new() { Exact = true }).FillAsync(prefix);
        await page.GetByLabel("Session cookie name").FillAsync("X-Qlik-Session-" + prefix);
        await page.GetByLabel("Engine URLs").FillAsync(environment.EngineUrl);
        await FillOidcAsync(page, secret);
        await Expect(page.GetByLabel("OIDC client secret", new() { Exact = true })).ToHaveAttributeAsync("type", "password");
        await ConsoleEnvironment.ScreenshotAsync(page, "create-oidc");
        await page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();

        // The diff names the OIDC fields; the secret's value is never in it.
        var diff = page.Locator("[data-diff-rows]");
        await Expect(diff.Locator("tr[data-field='authenticationMethod'] .after")).ToHaveTextAsync("5");
        await Expect(diff.Locator("tr[data-field='oidcConfigurationEndpointUri'] .after")).ToHaveTextAsync(DiscoveryUrl);
        await Expect(diff.Locator("tr[data-field='oidcClientId'] .after")).ToHaveTextAsync("portico-console");
        await Expect(diff.Locator("tr[data-field='oidcRealm'] .after")).ToHaveTextAsync("CORP");
        await Expect(diff.Locator("tr[data-field='oidcScope'] .after")).ToHaveTextAsync("openid profile");
        await Expect(diff.Locator("tr[data-field='oidcAttributeMap'] .after")).ToContainTextAsync("department");
        await Expect(diff.Locator("tr[data-field='oidcClientSecret'] .after")).ToHaveTextAsync("(redacted)");
        await Expect(diff.Locator("tr[data-field='samlEntityId']")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.Locator($"tr[data-prefix='{prefix}']")).ToContainTextAsync("OIDC");

        var entity = await EntityAsync(page, prefix);
        Assert.Equal(5, entity.GetProperty("authenticationMethod").GetInt32());
        Assert.Equal(DiscoveryUrl, entity.GetProperty("oidcConfigurationEndpointUri").GetString());
        Assert.Equal("portico-console", entity.GetProperty("oidcClientId").GetString());
        Assert.Equal("CORP", entity.GetProperty("oidcRealm").GetString());
        Assert.Equal("openid profile", entity.GetProperty("oidcScope").GetString());
        var map = entity.GetProperty("oidcAttributeMap");
        Assert.Equal("department", map[0].GetProperty("oidcAttribute").GetString());
        Assert.Equal("dept", map[0].GetProperty("senseAttribute").GetString());
        Assert.True(map[0].GetProperty("isMandatory").GetBoolean());
        Assert.Equal(JsonValueKind.Null, entity.GetProperty("samlEntityId").ValueKind);

        // Opened for editing, the form shows every OIDC field back except the secret.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Edit /{prefix}/" }).ClickAsync();
        await Expect(page.GetByLabel("OIDC discovery URL")).ToHaveValueAsync(DiscoveryUrl);
        await Expect(page.GetByLabel("OIDC realm (user directory)")).ToHaveValueAsync("CORP");
        await Expect(page.GetByLabel("OIDC attribute map (JSON)")).ToHaveValueAsync(new Regex("\"oidcAttribute\": \"department\""));
        await Expect(page.GetByLabel("OIDC client secret", new() { Exact = true })).ToHaveValueAsync(string.Empty);
        await Expect(page.GetByLabel("Remove the stored secret")).ToBeVisibleAsync();
        var values = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('input, textarea')].map((e) => e.value)");
        Assert.DoesNotContain(values, v => v.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(visit.Errors);
    }

    [Fact]
    public async Task Admin_SamlVirtualProxy_UnreadableMapRefusedInThePage_BadMetadataShownAtItsInput()
    {
        await using var visit = await ConsoleVisit.OpenAsync(environment);
        var page = visit.Page;
        await environment.SignInAsync(page, ConsoleEnvironment.Admin);
        const string prefix = "saml-in-console";
        var writes = 0;
        page.Request += (_, r) =>
        {
            if (r.Method == "POST" && r.Url.Contains("/api/qrs/virtualproxyconfig", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref writes);
            }
        };

        await page.GetByRole(AriaRole.Link, new() { Name = "New virtual proxy" }).ClickAsync();
        await page.GetByLabel("Prefix", new() { Exact = true }).FillAsync(prefix);
        await page.GetByLabel("Session cookie name").FillAsync("X-Qlik-Session-" + prefix);
        await page.GetByLabel("Engine URLs").FillAsync(environment.EngineUrl);
        await page.GetByLabel("Method").SelectOptionAsync("3");
        await page.GetByLabel("Identity provider metadata (XML)").FillAsync("this is no metadata");
        await page.GetByLabel("SAML host URI").FillAsync("https://qlik.example.com");
        await page.GetByLabel("SAML entity id").FillAsync("https://qlik.example.com/saml");
        await page.GetByLabel("SAML user directory attribute").FillAsync("[CORP]");
        var mapInput = page.GetByLabel("SAML attribute map (JSON)");
        await mapInput.FillAsync("[{\"samlAttribute\": \"groups\",");

        // JSON the page cannot read is refused at its input, before anything is sent.
        await page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
        await Expect(mapInput).ToBeFocusedAsync();
        await Expect(mapInput).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#vp-samlAttributeMap-error")).ToContainTextAsync("not valid JSON");
        Assert.Equal(0, writes);

        // Readable now: the dry run refuses the metadata, and says so at the metadata input.
        await mapInput.FillAsync("[{\"samlAttribute\": \"groups\", \"senseAttribute\": \"group\"}]");
        await page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
        var metadata = page.GetByLabel("Identity provider metadata (XML)");
        await Expect(metadata).ToBeFocusedAsync();
        await Expect(metadata).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(metadata).ToHaveAttributeAsync("aria-describedby", new Regex(@"\bvp-samlMetadataIdP-error\b"));
        await Expect(page.Locator("#vp-samlMetadataIdP-error")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-error-summary]")).ToContainTextAsync("samlMetadataIdP");
        await Expect(mapInput).Not.ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Equal(1, writes);
        await ConsoleEnvironment.ScreenshotAsync(page, "saml-metadata-error");
        Assert.Empty(visit.UnexpectedErrors("400"));
    }

    [Fact]
    public async Task Admin_EditingOtherFieldsOfAnOidcVirtualProxy_KeepsTheStoredSecret()
    {
        await using var visit = await ConsoleVisit.OpenAsync(environment);
        var page = visit.Page;
        await environment.SignInAsync(page, ConsoleEnvironment.Admin);
        const string prefix = "oidc-edited-in-console";
        var secret = "s3cret-" + Guid.NewGuid().ToString("N");
        await page.GetByRole(AriaRole.Link, new() { Name = "New virtual proxy" }).ClickAsync();
        await page.GetByLabel("Prefix", new() { Exact = true }).FillAsync(prefix);
        await page.GetByLabel("Session cookie name").FillAsync("X-Qlik-Session-" + prefix);
        await page.GetByLabel("Engine URLs").FillAsync(environment.EngineUrl);
        await page.GetByLabel("Method").SelectOptionAsync("5");
        await FillOidcAsync(page, secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.Locator($"tr[data-prefix='{prefix}']")).ToHaveCountAsync(1);
        var before = await EntityAsync(page, prefix);

        // The secret input is left empty; the cookie settings and the description change.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Edit /{prefix}/" }).ClickAsync();
        await page.GetByLabel("Description").FillAsync("Edited without its secret");
        await page.GetByLabel("SameSite").SelectOptionAsync("3");
        await page.GetByLabel("Session cookie domain").FillAsync("example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();

        var rows = page.Locator("[data-diff-rows] tr[data-field]");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-diff-rows] tr[data-field='sameSiteAttributeHttps'] .after")).ToHaveTextAsync("3");
        await Expect(page.Locator("[data-diff-rows] tr[data-field='sessionCookieDomain'] .after")).ToHaveTextAsync("example.com");
        await Expect(page.Locator("[data-diff-rows] tr[data-field='oidcClientSecret']")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.Locator($"tr[data-prefix='{prefix}']")).ToContainTextAsync("Edited without its secret");

        var after = await EntityAsync(page, prefix);
        Assert.Equal(3, after.GetProperty("sameSiteAttributeHttps").GetInt32());
        Assert.Equal("example.com", after.GetProperty("sessionCookieDomain").GetString());
        Assert.Equal(before.GetProperty("oidcClientSecret").ToString(), after.GetProperty("oidcClientSecret").ToString());
        Assert.NotEqual(JsonValueKind.Null, after.GetProperty("oidcClientSecret").ValueKind);

        // Removing the stored secret is explicit: the PUT sends it as null, so the secret now comes
        // from the environment variable alone (unset here, so that is the one error).
        var sent = new List<string>();
        page.Request += (_, r) =>
        {
            if (r.Method == "PUT" && r.PostData is { } data)
            {
                lock (sent)
                {
                    sent.Add(data);
                }
            }
        };
        await page.GetByRole(AriaRole.Link, new() { Name = $"Edit /{prefix}/" }).ClickAsync();
        await page.GetByLabel("Remove the stored secret").CheckAsync();
        var variable = page.GetByLabel("OIDC client secret environment variable");
        await variable.FillAsync("PORTICO_CONSOLE_TEST_UNSET_" + Guid.NewGuid().ToString("N"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Review changes" }).ClickAsync();
        await Expect(variable).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("OIDC client secret", new() { Exact = true })).Not.ToHaveAttributeAsync("aria-invalid", "true");
        lock (sent)
        {
            var body = JsonDocument.Parse(sent.Single()).RootElement;
            Assert.Equal(JsonValueKind.Null, body.GetProperty("oidcClientSecret").ValueKind);
        }

        Assert.Empty(visit.UnexpectedErrors("400"));
    }

    /// <summary>Fills the OIDC fieldset with values the configuration rules accept (the provider itself is never asked).</summary>
    private static async Task FillOidcAsync(IPage page, string secret)
    {
        await page.GetByLabel("OIDC discovery URL").FillAsync(DiscoveryUrl);
        await page.GetByLabel("OIDC client id", new() { Exact = true }).FillAsync("portico-console");
        await page.GetByLabel("OIDC client secret", new() { Exact = true }).FillAsync(secret);
        await page.GetByLabel("OIDC realm (user directory)").FillAsync("CORP");
        await page.GetByLabel("OIDC scopes").FillAsync("openid profile");
        await page.GetByLabel("OIDC attribute map (JSON)").FillAsync("[{\"oidcAttribute\": \"department\", \"senseAttribute\": \"dept\", \"isMandatory\": true}]");
    }

    /// <summary>The virtual proxy as the admin API returns it to the console's session.</summary>
    private static async Task<JsonElement> EntityAsync(IPage page, string prefix)
    {
        var (status, body) = await FetchAsync(page, "api/qrs/virtualproxyconfig/full");
        Assert.Equal(200, status);
        return JsonDocument.Parse(body).RootElement.EnumerateArray().Single(e => e.GetProperty("prefix").GetString() == prefix).Clone();
    }
}
