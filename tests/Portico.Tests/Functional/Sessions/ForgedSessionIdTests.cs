using System.Net;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// docs/security.md "Sessions and cookies": an unknown or forged session id is no session (401 on a virtual
/// proxy that needs a login) and is never adopted; a session id anywhere but this virtual proxy's
/// cookie, such as the query string, is ignored.
/// </summary>
public sealed class ForgedSessionIdTests(SessionsFixture fixture) : IClassFixture<SessionsFixture>
{
    private SessionsHost Host => fixture.Host;

    [Theory]
    [InlineData("never issued")]
    [InlineData("empty")]
    [InlineData("too short")]
    [InlineData("one below the minimum length")]
    [InlineData("too long")]
    [InlineData("path characters")]
    [InlineData("percent-encoded")]
    [InlineData("quoted padding")]
    [InlineData("valid with one character changed")]
    [InlineData("valid in upper case")]
    [InlineData("valid with a suffix")]
    [InlineData("valid without its last character")]
    public async Task Request_WithAForgedSessionCookie_IsUnauthenticated(string forgery)
    {
        var valid = await Host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        Assert.Equal(HttpStatusCode.OK, await Host.EchoStatusAsync("app", valid));
        var forged = forgery switch
        {
            "never issued" => SessionsHost.NeverIssuedId(),
            "empty" => "",
            "too short" => "abc",
            "one below the minimum length" => valid[..31],
            "too long" => valid + valid + valid + valid,
            "path characters" => "../../" + valid,
            "percent-encoded" => Uri.EscapeDataString(valid[..20] + "/" + valid[20..]),
            "quoted padding" => "\" " + valid + " \"",
            "valid with one character changed" => valid[..^1] + (valid[^1] == 'A' ? 'B' : 'A'),
            "valid in upper case" => valid.ToUpperInvariant(),
            "valid with a suffix" => valid + "x",
            "valid without its last character" => valid[..^1],
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };
        Assert.NotEqual(valid, forged);

        using var response = await Host.EchoAsync("app", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(SetCookieHeader.All(response), c => c.Name == SessionsHost.CookieName("app"));
    }

    [Fact]
    public async Task Request_WithAnotherVirtualProxysSessionUnderThisCookieName_IsUnauthenticated()
    {
        var others = await Host.Api.CreateSessionIdAsync("other", "CORP", "alice");

        Assert.Equal(HttpStatusCode.Unauthorized, await Host.EchoStatusAsync("app", others));
        using (var underItsOwnName = await Host.GetAsync($"app/{SessionsHost.EchoPath}", $"{SessionsHost.CookieName("other")}={others}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, underItsOwnName.StatusCode);
        }

        // Refused on the wrong virtual proxy, the session still works where it belongs.
        Assert.Equal("UserDirectory=CORP; UserId=alice", await Host.EchoedUserAsync("other", others));
    }

    [Fact]
    public async Task Request_WithASessionCookieUnderTheDefaultQlikName_IsUnauthenticated()
    {
        var valid = await Host.Api.CreateSessionIdAsync("app", "CORP", "alice");

        using var response = await Host.GetAsync($"app/{SessionsHost.EchoPath}", $"X-Qlik-Session={valid}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>Two values under one cookie name mean one was planted beside the real one (a sibling domain can do that): neither is trusted.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Request_WithTheValidIdAndAPlantedOneUnderTheSameName_IsUnauthenticated(bool validFirst)
    {
        var valid = await Host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        var planted = SessionsHost.NeverIssuedId();
        var name = SessionsHost.CookieName("app");
        var cookies = validFirst ? $"{name}={valid}; {name}={planted}" : $"{name}={planted}; {name}={valid}";

        using var response = await Host.GetAsync($"app/{SessionsHost.EchoPath}", cookies);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("?{name}={id}")]
    [InlineData("?{lower}={id}")]
    [InlineData("?X-Qlik-Session={id}")]
    [InlineData("?session={id}")]
    [InlineData("?sessionId={id}")]
    [InlineData("?qlikSession={id}")]
    [InlineData("?Cookie={name}%3D{id}")]
    [InlineData("?x=1&{name}={id}&y=2")]
    [InlineData(";{name}={id}")]
    public async Task Request_WithAValidSessionIdOnlyInTheUrl_IsUnauthenticated(string carrier)
    {
        var valid = await Host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        var name = SessionsHost.CookieName("app");
        var suffix = carrier.Replace("{name}", name, StringComparison.Ordinal)
            .Replace("{lower}", name.ToLowerInvariant(), StringComparison.Ordinal)
            .Replace("{id}", valid, StringComparison.Ordinal);

        using var response = await Host.GetAsync($"app/{SessionsHost.EchoPath}{suffix}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(Host.Engine.ObservedRequests, r => r.QueryString.Contains(valid, StringComparison.Ordinal) || r.Path.Contains(valid, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("X-Qlik-Session-app")]
    [InlineData("X-Qlik-Session")]
    [InlineData("X-Qlik-ProxySession")]
    public async Task Request_WithAValidSessionIdInAHeaderInsteadOfTheCookie_IsUnauthenticated(string header)
    {
        var valid = await Host.Api.CreateSessionIdAsync("app", "CORP", "alice");
        var request = new HttpRequestMessage(HttpMethod.Get, $"app/{SessionsHost.EchoPath}");
        request.Headers.Add(header, valid);

        using var response = await Host.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
