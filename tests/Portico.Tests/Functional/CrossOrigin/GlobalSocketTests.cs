using Portico.Tests.Support;

namespace Portico.Tests.Functional.CrossOrigin;

/// <summary>
/// nebula.js's global socket: <c>wss://host/{prefix}?qlik-csrf-token=...</c> (and the same with a
/// trailing slash) has no path beyond the prefix. It is an engine socket like <c>/app/...</c>: with
/// the session's token it reaches the engine's root, <c>/</c>, as the session's user and without the
/// token; on the session cookie alone it is refused before any engine sees it.
/// </summary>
public sealed class GlobalSocketTests(CrossOriginFixture fixture) : IClassFixture<CrossOriginFixture>
{
    private const string Hub = CrossOriginHost.Hub;
    private const string AllowedOrigin = "https://mashup.test";

    private CrossOriginHost Host => fixture.Host;

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    public async Task GlobalSocket_SessionCookieAndToken_ReachesTheEngineRootAsTheUserWithoutTheToken(string afterPrefix)
    {
        var userId = "nebula-" + Guid.NewGuid().ToString("N")[..8];
        var sessionId = await Host.Api.SessionAsync(Hub, "CORP", userId);
        var token = await Host.TokenAsync(Hub, sessionId);
        var marker = CrossOriginHost.Marker();

        await using var socket = await Host.OpenEngineSocketAsync(
            $"/{Hub}{afterPrefix}?{CrossOriginHost.TokenName}={Uri.EscapeDataString(token)}&m={marker}",
            Hub,
            sessionId,
            new Dictionary<string, string> { ["Origin"] = AllowedOrigin });
        var user = await socket.CallAsync("GetAuthenticatedUser");

        Assert.Equal($"UserDirectory=CORP; UserId={userId}", user.GetProperty("result").GetProperty("qReturn").GetString());
        var seen = Host.EngineRequest(marker);
        Assert.True(seen.IsWebSocket);
        Assert.Equal("/", seen.Path);
        Assert.Equal($"?m={marker}", seen.QueryString);
        Assert.Equal($"UserDirectory=CORP; UserId={userId}", seen.Headers["x-qlik-user"]);
        Assert.DoesNotContain(seen.Headers.Values, v => v.Contains(token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    public async Task GlobalSocket_SessionCookieWithoutToken_Is403AndNothingReachesTheEngine(string afterPrefix)
    {
        var sessionId = await Host.NewSessionAsync();
        var marker = CrossOriginHost.Marker();

        var response = await Host.UpgradeAsync(
            $"/{Hub}{afterPrefix}?m={marker}",
            ("Cookie", CrossOriginHost.Cookie(Hub, sessionId)),
            ("Origin", AllowedOrigin));

        Assert.True(response.Status == 403, $"expected 403, got {response.Status}: {response.Body}");
        Assert.Contains("csrf", response.Body, StringComparison.Ordinal);
        Assert.False(Host.EngineSaw(marker), "the refused global socket reached the engine");
    }
}
