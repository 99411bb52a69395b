using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Portico.Tests.Functional.Admin;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.WebConsole;

/// <summary>docs/console.md: who gets into the web console, what it serves, and its API's door.</summary>
public sealed class ConsoleTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private const string Csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    [Fact]
    public async Task Console_Unauthenticated_IsChallengedLikeAnyRequestOfItsVirtualProxy()
    {
        using var client = fixture.Portico.CreateClient();

        var page = await client.GetAsync("/ticket/console/");
        var api = await client.GetAsync("/ticket/console/api/qrs/virtualproxyconfig/full");

        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.DoesNotContain("Portico console", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_Admin_GetsTheIndexWithEveryHeaderOfTheContract()
    {
        using var client = await fixture.SignInAsync("DEMO\\alice");

        var response = await client.GetAsync("/ticket/console/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        AssertConsoleHeaders(response);
    }

    [Fact]
    public async Task Console_WithoutTrailingSlash_RedirectsToTheFolder()
    {
        using var client = await fixture.SignInAsync("DEMO\\alice");

        var response = await client.GetAsync("/ticket/console");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/ticket/console/", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Console_UnknownFile_Is404WithTheHeaders_AndOnlyGetReadsFiles()
    {
        using var client = await fixture.SignInAsync("DEMO\\alice");

        var missing = await client.GetAsync("/ticket/console/nothing-such.js");
        var traversal = await client.GetAsync("/ticket/console/%2e%2e%2fportico.json");
        var token = await client.CsrfTokenAsync("/ticket");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/ticket/console/index.html");
        post.Headers.Add("qlik-csrf-token", token);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        AssertConsoleHeaders(missing);
        // Portico's path normalization refuses an encoded "../" before the console sees it.
        Assert.True(traversal.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, traversal.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.SendAsync(post)).StatusCode);
    }

    [Fact]
    public async Task Console_GroupAdmin_IsAdmittedByTheGroupAttributeOfTheTicket()
    {
        using var client = await fixture.SignInAsync("CORP\\carol", attributes: new KeyValuePair<string, string>("Group", ConsoleFixture.AdminGroup));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ticket/console/")).StatusCode);
    }

    [Fact]
    public async Task Console_NonAdmin_Gets403PageAnd403Json_AndTheRefusalIsAudited()
    {
        using var client = await fixture.SignInAsync("DEMO\\bob", attributes: new KeyValuePair<string, string>("Group", "Sales"));

        var page = await client.GetAsync("/ticket/console/");
        var api = await client.GetAsync("/ticket/console/api/qrs/virtualproxyconfig/full");

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Not an administrator", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        AssertConsoleHeaders(page);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        var body = await AdminFixture.JsonAsync(api);
        Assert.Equal("not_an_admin", AdminFixture.Text(body["code"]));
        Assert.False(string.IsNullOrEmpty(AdminFixture.Text(body["message"])));
        var refused = await AuditFile.WaitForAsync(fixture.AuditPath, e => e.Is("admin.refused", "ticket") && e.Field("userId") == "bob", "the console's refusal of bob");
        Assert.Equal("not_an_admin", refused.Field("reason"));
        Assert.Equal("DEMO", refused.Field("userDirectory"));
    }

    [Fact]
    public async Task ConsoleApi_Admin_ListsVirtualProxiesInQrsShape()
    {
        using var client = await fixture.SignInAsync("DEMO\\alice");

        var response = await client.GetAsync("/ticket/console/api/qrs/virtualproxyconfig/full");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertConsoleHeaders(response);
        var list = (await AdminFixture.JsonAsync(response)).AsArray();
        var ticket = list.Single(vp => AdminFixture.Text(vp!["prefix"]) == "ticket")!;
        Assert.True(Guid.TryParse(AdminFixture.Text(ticket["id"]), out _));
        Assert.Equal(0, ticket["authenticationMethod"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ticket/console/api/qrs/nothing")).StatusCode);
    }

    [Fact]
    public async Task ConsoleApi_WriteWithoutTheCsrfToken_Is403_WithIt201_AndTheActorIsTheConsoleUser()
    {
        using var client = await fixture.SignInAsync("DEMO\\alice");
        var body = new JsonObject
        {
            ["prefix"] = "fromconsole",
            ["sessionCookieHeaderName"] = "X-Qlik-Session-fromconsole",
            ["anonymousAccessMode"] = 2,
            ["loadBalancingServerNodes"] = new JsonArray(fixture.EngineUrl),
        };

        using var bare = new HttpRequestMessage(HttpMethod.Post, "/ticket/console/api/qrs/virtualproxyconfig") { Content = JsonContent.Create(body) };
        var withoutProof = await client.SendAsync(bare);
        // A same-origin page passes Portico's general CSRF rule without the token; the console still wants it.
        using var sameOrigin = new HttpRequestMessage(HttpMethod.Post, "/ticket/console/api/qrs/virtualproxyconfig") { Content = JsonContent.Create(body) };
        sameOrigin.Headers.Add("Sec-Fetch-Site", "same-origin");
        var withoutToken = await client.SendAsync(sameOrigin);
        using var withToken = new HttpRequestMessage(HttpMethod.Post, "/ticket/console/api/qrs/virtualproxyconfig") { Content = JsonContent.Create(body) };
        withToken.Headers.Add("qlik-csrf-token", await client.CsrfTokenAsync("/ticket"));
        var created = await client.SendAsync(withToken);

        Assert.Equal(HttpStatusCode.Forbidden, withoutProof.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, withoutToken.StatusCode);
        Assert.Equal("CSRF-TOKEN-2", AdminFixture.Text((await AdminFixture.JsonAsync(withoutToken))["code"]));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        Assert.StartsWith("/ticket/console/api/qrs/virtualproxyconfig/", created.Headers.Location!.ToString(), StringComparison.Ordinal);
        var entity = await AdminFixture.JsonAsync(created);
        Assert.Equal("DEMO\\alice", AdminFixture.Text(entity["modifiedByUserName"]));
        var audited = await AuditFile.WaitForAsync(fixture.AuditPath, e => e.Is("admin.virtualproxy.created", "fromconsole"), "the console's change in the audit log");
        Assert.Equal("console DEMO\\alice", audited.Field("actor"));
    }

    [Fact]
    public async Task ConsoleApi_DryRunWithABadPrefix_Is400WithTheErrorAtTheField()
    {
        using var client = await fixture.SignInAsync("DEMO\\alice");
        var body = new JsonObject { ["prefix"] = "Bad/Prefix", ["loadBalancingServerNodes"] = new JsonArray(fixture.EngineUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ticket/console/api/qrs/virtualproxyconfig?dryRun=true") { Content = JsonContent.Create(body) };
        request.Headers.Add("qlik-csrf-token", await client.CsrfTokenAsync("/ticket"));

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await AdminFixture.JsonAsync(response))["errors"]!.AsArray();
        Assert.Contains(errors, e => AdminFixture.Text(e!["field"]) == "prefix");
    }

    [Fact]
    public async Task Console_OnAnotherVirtualProxy_IsNotServed()
    {
        using var other = await fixture.SignInAsync("DEMO\\alice", "other");
        using var anonymous = fixture.Portico.CreateClient();

        var onOther = await other.GetAsync("/other/console/");
        var onDefault = await anonymous.GetAsync("/console/");

        Assert.NotEqual(Csp, onOther.Headers.TryGetValues("Content-Security-Policy", out var a) ? a.Single() : null);
        Assert.NotEqual(HttpStatusCode.OK, onOther.StatusCode);
        Assert.NotEqual(Csp, onDefault.Headers.TryGetValues("Content-Security-Policy", out var b) ? b.Single() : null);
        Assert.DoesNotContain("Portico console", await onDefault.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleApi_FromAnOriginTheVirtualProxyAllows_GetsNoCorsHeaders_AndTheAdminsHeadersDoNotLoosenTheConsoles()
    {
        using var client = await fixture.SignInAsync("DEMO\\alice");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ticket/console/api/qrs/virtualproxyconfig/full");
        request.Headers.Add("Origin", ConsoleFixture.AllowedOrigin);
        using var outside = new HttpRequestMessage(HttpMethod.Get, "/ticket/qps/user");
        outside.Headers.Add("Origin", ConsoleFixture.AllowedOrigin);

        var response = await client.SendAsync(request);
        var elsewhere = await client.SendAsync(outside);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        AssertConsoleHeaders(response);
        Assert.Equal(ConsoleFixture.AllowedOrigin, elsewhere.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("frame-ancestors *", elsewhere.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task ConsoleApi_DeletingTheConsolesOwnVirtualProxy_Is400_TheConsoleCannotLockItselfOut()
    {
        using var client = await fixture.SignInAsync("DEMO\\alice");
        var list = (await AdminFixture.JsonAsync(await client.GetAsync("/ticket/console/api/qrs/virtualproxyconfig"))).AsArray();
        var id = AdminFixture.Text(list.Single(vp => AdminFixture.Text(vp!["prefix"]) == "ticket")!["id"]);
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/ticket/console/api/qrs/virtualproxyconfig/{id}");
        request.Headers.Add("qlik-csrf-token", await client.CsrfTokenAsync("/ticket"));

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await AdminFixture.JsonAsync(response))["errors"]!.AsArray(), e => AdminFixture.Text(e!["path"]) == "console.virtualProxy");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ticket/console/")).StatusCode);
    }

    private static void AssertConsoleHeaders(HttpResponseMessage response)
    {
        Assert.Equal(Csp, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }
}
