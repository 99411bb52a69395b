using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Portico.Tests.Functional.Admin;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.WebConsole;

/// <summary>POST /qrs/portico/origincheck (docs/admin-api.md): the doctor's browser checks for one origin, run by the server.</summary>
public sealed class ConsoleOriginCheckTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task OriginCheck_AllowedOrigin_PassesPreflightTokenAndWebSocket()
    {
        using var alice = await fixture.SignInAsync("DEMO\\alice");

        var result = await CheckAsync(alice, await IdOfAsync(alice, "other"), ConsoleFixture.AllowedOrigin);

        Assert.Equal(ConsoleFixture.AllowedOrigin, AdminFixture.Text(result["origin"]));
        var checks = result["checks"]!.AsArray();
        Assert.Equal(["CORS preflight", "Token readable", "WebSocket"], checks.Select(c => AdminFixture.Text(c!["name"])));
        Assert.All(checks, c => Assert.True(c!["passed"]!.GetValue<bool>(), c.ToJsonString()));
    }

    [Fact]
    public async Task OriginCheck_DisallowedOrigin_FailsEveryCheck_AndTheWebSocketIsRefused()
    {
        using var alice = await fixture.SignInAsync("DEMO\\alice");

        var result = await CheckAsync(alice, await IdOfAsync(alice, "other"), "https://evil.example.test");

        var checks = result["checks"]!.AsArray();
        Assert.All(checks, c => Assert.False(c!["passed"]!.GetValue<bool>(), c.ToJsonString()));
        Assert.Contains("403", AdminFixture.Text(checks.Single(c => AdminFixture.Text(c!["name"]) == "WebSocket")!["detail"]), StringComparison.Ordinal);
        Assert.Contains("websocketCrossOriginWhiteList", AdminFixture.Text(checks[0]!["detail"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://app.example.test/path")]
    [InlineData("javascript:alert(1)")]
    [InlineData("null")]
    [InlineData("app.example.test")]
    public async Task OriginCheck_NotAnAbsoluteHttpOrigin_Is400(string origin)
    {
        using var alice = await fixture.SignInAsync("DEMO\\alice");
        var id = await IdOfAsync(alice, "other");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ticket/console/api/qrs/portico/origincheck")
        {
            Content = JsonContent.Create(new JsonObject { ["virtualProxyId"] = id, ["origin"] = origin }),
        };
        request.Headers.Add("qlik-csrf-token", await alice.CsrfTokenAsync("/ticket"));

        var response = await alice.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("origin", AdminFixture.Text((await AdminFixture.JsonAsync(response))["error"]));
    }

    [Fact]
    public async Task OriginCheck_OnTheQrsListener_AnswersTheSame()
    {
        using var alice = await fixture.SignInAsync("DEMO\\alice");
        var id = await IdOfAsync(alice, "other");
        using var qrs = fixture.QrsClient();

        var response = await qrs.SendAsync(HttpMethod.Post, "qrs/portico/origincheck", new JsonObject { ["virtualProxyId"] = id, ["origin"] = ConsoleFixture.AllowedOrigin }.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All((await AdminFixture.JsonAsync(response))["checks"]!.AsArray(), c => Assert.True(c!["passed"]!.GetValue<bool>(), c.ToJsonString()));
    }

    [Fact]
    public async Task OriginCheck_WhileTheSameAdminsCheckRuns_IsRefused_AndAnotherAdminsIsNot()
    {
        var runner = fixture.Portico.Services.GetRequiredService<Portico.Doctor.OriginCheckRunner>();
        var origin = Portico.Cors.WebOrigin.Parse(ConsoleFixture.AllowedOrigin)!.Value;

        // The gate is taken before the first check's first network call, so the second call finds it taken.
        var first = runner.RunAsync("console DEMO\\alice", "other", origin, CancellationToken.None);
        var second = await runner.RunAsync("CONSOLE demo\\ALICE", "other", origin, CancellationToken.None);
        var otherAdmin = await runner.RunAsync("console DEMO\\carol", "other", origin, CancellationToken.None);

        Assert.Null(second);
        Assert.NotNull(otherAdmin);
        Assert.NotNull(await first);
        Assert.NotNull(await runner.RunAsync("console DEMO\\alice", "other", origin, CancellationToken.None));
    }

    private static async Task<string> IdOfAsync(HttpClient client, string prefix)
    {
        var list = (await AdminFixture.JsonAsync(await client.GetAsync("/ticket/console/api/qrs/virtualproxyconfig/full"))).AsArray();
        return AdminFixture.Text(list.Single(vp => AdminFixture.Text(vp!["prefix"]) == prefix)!["id"]);
    }

    private static async Task<JsonNode> CheckAsync(HttpClient client, string id, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ticket/console/api/qrs/portico/origincheck")
        {
            Content = JsonContent.Create(new JsonObject { ["virtualProxyId"] = id, ["origin"] = origin }),
        };
        request.Headers.Add("qlik-csrf-token", await client.CsrfTokenAsync("/ticket"));
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }
}
