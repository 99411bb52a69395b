using System.Net;
using System.Text.Json.Nodes;
using Portico.Tests.Functional.Admin;
using Portico.Tests.Support;

namespace Portico.Tests.Functional.WebConsole;

/// <summary>GET /qrs/portico/audit (docs/admin-api.md): the node's recent audit events, on the console and on the QRS listener.</summary>
public sealed class ConsoleAuditTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task Audit_FiltersByUserVirtualProxyAndDecision_NewestFirst_OnTheConsoleAndTheQrsListener()
    {
        // dora's logins: one on the console's virtual proxy, one on another.
        using var dora = await fixture.SignInAsync("DEMO\\dora", "other");
        using var alice = await fixture.SignInAsync("DEMO\\alice");
        var doraOnTicket = fixture.Portico.CreateClient(cookies: new CookieContainerHolder());
        Assert.Equal(HttpStatusCode.Found, (await doraOnTicket.GetAsync($"/ticket/hub/?qlikTicket={Uri.EscapeDataString(fixture.Ticket("DEMO\\dora"))}")).StatusCode);

        JsonArray doras = [];
        await Eventually.TrueAsync(async () =>
        {
            doras = await ListAsync(alice, "user=demo%5CDORA");
            return doras.Any(e => AdminFixture.Text(e!["virtualProxy"]) == "ticket") && doras.Any(e => AdminFixture.Text(e!["virtualProxy"]) == "other");
        }, TimeSpan.FromSeconds(10), "dora's logins on both virtual proxies in the recent audit events");

        Assert.All(doras, e => Assert.Equal("dora", AdminFixture.Text(e!["userId"])));
        var times = doras.Select(e => AdminFixture.Text(e!["time"])).ToList();
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
        // The login on "other" came first, so it is listed after every event of the later one.
        Assert.Equal("other", AdminFixture.Text(doras[^1]!["virtualProxy"]));
        var onOther = await ListAsync(alice, "user=DEMO%5Cdora&virtualProxy=OTHER&decision=allowed");
        Assert.Contains(onOther, e => AdminFixture.Text(e!["event"]) == "login.succeeded");
        Assert.All(onOther, e => Assert.Equal("other", AdminFixture.Text(e!["virtualProxy"])));
        Assert.Empty(await ListAsync(alice, "user=DEMO%5Cdora&decision=refused"));
        Assert.Single(await ListAsync(alice, "user=DEMO%5Cdora&limit=1"));
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.GetAsync("/ticket/console/api/qrs/portico/audit?decision=perhaps")).StatusCode);

        using var qrs = fixture.QrsClient();
        var fromQrs = await qrs.SendAsync(HttpMethod.Get, "qrs/portico/audit?user=DEMO%5Cdora&virtualProxy=other");
        Assert.Equal(HttpStatusCode.OK, fromQrs.StatusCode);
        Assert.Equal(onOther.Count, (await AdminFixture.JsonAsync(fromQrs)).AsArray().Count);
    }

    private static async Task<JsonArray> ListAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/ticket/console/api/qrs/portico/audit?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await AdminFixture.JsonAsync(response)).AsArray();
    }
}
