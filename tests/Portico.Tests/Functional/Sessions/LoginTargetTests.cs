using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Portico.Configuration;
using Portico.Tickets;

namespace Portico.Tests.Functional.Sessions;

/// <summary>
/// What unauthenticated clients can make Portico store through the login module redirect: a target
/// only for a page that is sent to the login module, of a bounded length, and a few per client
/// address and minute (clientLimits.loginTargetsPerMinute, 2 here). Beyond that the redirect still
/// goes to the login module, without a targetId (the user lands on the hub after login). Each test
/// has its own Portico, so each starts with an empty store and a full budget.
/// </summary>
public sealed class LoginTargetTests : IAsyncLifetime
{
    private const string Login = "login";

    private SessionsHost _host = null!;

    private TargetStore Targets => _host.Portico.Services.GetRequiredService<TargetStore>();

    public async Task InitializeAsync() =>
        _host = await SessionsHost.StartAsync(
            engine => [SessionsHost.LoginRequired(Login, engine) with { AuthenticationModuleRedirectUri = SessionsFixture.LoginModule }],
            clientLimits: new ClientLimitsConfig { LoginTargetsPerMinute = 2 });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>The targetId of a login module redirect; null when it carries none.</summary>
    private static string? TargetId(HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.StartsWith(SessionsFixture.LoginModule + "?", location.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.True(query.ContainsKey("proxyRestUri"), location.AbsoluteUri);
        return query.TryGetValue("targetId", out var id) ? id.Single() : null;
    }

    private async Task<string?> RedirectTargetIdAsync(string path)
    {
        using var response = await _host.GetAsync(path);
        return TargetId(response);
    }

    [Fact]
    public async Task Redirect_PageAddressLongerThan4096Characters_CarriesNoTargetIdAndStoresNothing()
    {
        var longPage = $"{Login}/sense/app/abc?sheet={new string('a', 4100)}";

        Assert.Null(await RedirectTargetIdAsync(longPage));
        Assert.Equal(0, Targets.Count);

        // Control: an ordinary page still gets its target, so the client's budget was not the reason.
        Assert.NotNull(await RedirectTargetIdAsync($"{Login}/sense/app/abc?sheet=1"));
        Assert.Equal(1, Targets.Count);
    }

    [Fact]
    public async Task Redirect_ThirdFromOneClientWithinAMinute_CarriesNoTargetId_TheFirstTwoDo()
    {
        var ids = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await RedirectTargetIdAsync($"{Login}/sense/app/abc?sheet={i}"));
        }

        Assert.NotNull(ids[0]);
        Assert.NotNull(ids[1]);
        Assert.Null(ids[2]);
        Assert.Equal(2, Targets.Count);
    }

    [Fact]
    public async Task Unauthenticated_WebSocketAndNonPageRequest_StoreNoTarget()
    {
        await using (var socket = await _host.ConnectEngineSocketAsync(Login, sessionId: null, csrfToken: null))
        {
            var notification = await socket.WaitForNotificationAsync("OnAuthenticationInformation");
            var parameters = notification.GetProperty("params");
            Assert.True(parameters.GetProperty("mustAuthenticate").GetBoolean(), notification.ToString());
            var loginUri = new Uri(parameters.GetProperty("loginUri").GetString()!);
            Assert.False(QueryHelpers.ParseQuery(loginUri.Query).ContainsKey("targetId"), loginUri.AbsoluteUri);
        }

        using var post = await _host.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{Login}/{SessionsHost.EchoPath}") { Content = new StringContent("{}") });
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal(0, Targets.Count);

        // Control: a page is still given one.
        Assert.NotNull(await RedirectTargetIdAsync($"{Login}/sense/app/abc"));
        Assert.Equal(1, Targets.Count);
    }
}
