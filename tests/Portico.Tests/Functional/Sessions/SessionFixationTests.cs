using System.Net;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// docs/security.md "Sessions and cookies", fixation: an id an attacker planted in the browser before the
/// login must be worthless after it. The login issues a new id, and the planted one never becomes a session.
/// </summary>
public sealed class SessionFixationTests(SessionsFixture fixture) : IClassFixture<SessionsFixture>
{
    private SessionsHost Host => fixture.Host;

    [Fact]
    public async Task AnonymousLogin_WithAPlantedWellFormedId_IssuesANewIdAndNeverAdoptsThePlantedOne()
    {
        var planted = SessionsHost.NeverIssuedId();

        using var login = await Host.EchoAsync("anon", planted);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var issued = SetCookieHeader.Single(login, SessionsHost.CookieName("anon")).Value;
        Assert.NotEqual(planted, issued);
        using (var plantedLookup = await Host.Api.GetSessionAsync("anon", planted))
        {
            Assert.Equal(HttpStatusCode.NotFound, plantedLookup.StatusCode);
        }

        using (var issuedLookup = await Host.Api.GetSessionAsync("anon", issued))
        {
            Assert.Equal(HttpStatusCode.OK, issuedLookup.StatusCode);
        }

        // The issued id is a session (no new login); the planted one still is not (another login).
        using var withIssued = await Host.EchoAsync("anon", issued);
        Assert.DoesNotContain(SetCookieHeader.All(withIssued), c => c.Name == SessionsHost.CookieName("anon"));
        using var withPlanted = await Host.EchoAsync("anon", planted);
        var second = SetCookieHeader.Single(withPlanted, SessionsHost.CookieName("anon")).Value;
        Assert.NotEqual(planted, second);
        Assert.NotEqual(issued, second);
    }

    [Fact]
    public async Task TicketLogin_WithAPlantedWellFormedId_IssuesANewId_AndThePlantedIdStaysUnauthenticated()
    {
        var planted = SessionsHost.NeverIssuedId();
        var ticket = (await Host.Api.IssueTicketAsync("app", "CORP", "alice")).GetProperty("Ticket").GetString();

        using var login = await Host.GetAsync($"app/{SessionsHost.EchoPath}?qlikTicket={ticket}", $"{SessionsHost.CookieName("app")}={planted}");

        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        var issued = SetCookieHeader.Single(login, SessionsHost.CookieName("app")).Value;
        Assert.NotEqual(planted, issued);
        Assert.Equal(HttpStatusCode.Unauthorized, await Host.EchoStatusAsync("app", planted));
        Assert.Equal("UserDirectory=CORP; UserId=alice", await Host.EchoedUserAsync("app", issued));
        Assert.Equal(HttpStatusCode.Unauthorized, await Host.EchoStatusAsync("app", planted));
    }

    /// <summary>
    /// Login CSRF, the other half of fixation: the attacker plants the cookie of a session of their own,
    /// then the victim logs in with a ticket. The ticket's user must get a new session; carrying on in
    /// the attacker's session would show the victim the attacker's data and record the victim's work there.
    /// </summary>
    [Fact]
    public async Task TicketLogin_WhileCarryingAnotherUsersLiveSession_LogsInTheTicketsUserWithANewId()
    {
        var attackers = await Host.Api.CreateSessionIdAsync("app", "CORP", "mallory");
        var ticket = (await Host.Api.IssueTicketAsync("app", "CORP", "victim")).GetProperty("Ticket").GetString();

        using var login = await Host.GetAsync($"app/{SessionsHost.EchoPath}?qlikTicket={ticket}", $"{SessionsHost.CookieName("app")}={attackers}");

        Assert.True(login.StatusCode == HttpStatusCode.Found, $"the ticket was not redeemed ({(int)login.StatusCode}): {await login.Content.ReadAsStringAsync()}");
        var issued = SetCookieHeader.Single(login, SessionsHost.CookieName("app")).Value;
        Assert.NotEqual(attackers, issued);
        Assert.Equal("UserDirectory=CORP; UserId=victim", await Host.EchoedUserAsync("app", issued));
        Assert.Equal(HttpStatusCode.Unauthorized, await Host.EchoStatusAsync("app", attackers));
    }

    /// <summary>A back end may choose the id of a session it creates, but never one that is already in use: that would hand it another user's session.</summary>
    [Fact]
    public async Task SessionApi_RequestedIdAlreadyInUse_IsRefusedAndTheSessionKeepsItsUser()
    {
        var existing = await Host.Api.CreateSessionIdAsync("app", "CORP", "alice");

        using var response = await Host.Api.SendCreateSessionAsync("app", new { UserDirectory = "CORP", UserId = "mallory", SessionId = existing });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("UserDirectory=CORP; UserId=alice", await Host.EchoedUserAsync("app", existing));
    }
}
