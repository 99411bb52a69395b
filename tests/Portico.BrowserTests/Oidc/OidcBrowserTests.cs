using System.Text.Json;
using Microsoft.Playwright;
using Portico.TestSupport;
using Xunit.Abstractions;

namespace Portico.BrowserTests.Oidc;

/// <summary>
/// The OIDC login as a user does it: Chromium is sent to the provider's login page, signs in, comes
/// back to where it was going, and the page then reads data through the engine WebSocket with
/// enigma.js and the session's CSRF token.
/// </summary>
public sealed class OidcBrowserTests(OidcBrowserEnvironment environment, ITestOutputHelper output) : IClassFixture<OidcBrowserEnvironment>
{
    [Fact]
    public async Task Login_AtProviderPage_ThenEnigmaReadsDocListWithCsrfToken()
    {
        await using var context = await environment.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var visited = new List<string>();
        page.Response += (_, r) => visited.Add($"{r.Status} {r.Url}");
        page.RequestFailed += (_, r) => visited.Add($"failed {r.Failure} {r.Url}");

        // A page of the engine's (its echo): after login the user lands where they were going.
        var target = environment.PorticoUrl + OidcBrowserEnvironment.Prefix + "/portico-demo/echo?from=oidc";
        await page.GotoAsync(target);
        await page.WaitForSelectorAsync("#login");
        Assert.StartsWith(environment.Provider.Issuer + "/interaction/", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#login", "alice");
        await page.ClickAsync("#submit");
        try
        {
            await page.WaitForURLAsync(target);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the login did not come back to Portico: at {page.Url} after {string.Join(Environment.NewLine, visited)}");
        }

        var enigma = Path.Combine(NodeClients.LocateClientsDirectory(), "node_modules", "enigma.js");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Path.Combine(enigma, "enigma.min.js") });
        var schema = await File.ReadAllTextAsync(Path.Combine(enigma, "schemas", "12.2027.0.json"));
        var result = await page.EvaluateAsync<JsonElement>("""
            async (schemaText) => {
              const schema = JSON.parse(schemaText);
              const user = await (await fetch('/sso/qps/user')).json();
              const token = (await fetch('/sso/qps/csrftoken')).headers.get('qlik-csrf-token');
              const session = enigma.create({
                schema,
                url: `wss://${location.host}/sso/app/engineData?qlik-csrf-token=${encodeURIComponent(token)}`,
                createSocket: (url) => new WebSocket(url),
              });
              const global = await session.open();
              const docs = await global.getDocList();
              await session.close();
              return { user, hasToken: !!token, docs: docs.map((d) => d.qDocName) };
            }
            """, schema);
        output.WriteLine(result.GetRawText());

        Assert.Equal("IDP", result.GetProperty("user").GetProperty("userDirectory").GetString());
        Assert.Equal("alice", result.GetProperty("user").GetProperty("userId").GetString());
        Assert.True(result.GetProperty("hasToken").GetBoolean());
        Assert.NotEmpty(result.GetProperty("docs").EnumerateArray());
    }
}
