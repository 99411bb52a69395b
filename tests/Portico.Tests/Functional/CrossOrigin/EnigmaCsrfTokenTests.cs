using Portico.TestSupport;

namespace Portico.Tests.Functional.CrossOrigin;

/// <summary>
/// An unmodified enigma.js client, as a mashup runs it: the session cookie on the upgrade and the token
/// appended to the engine URL in the "&amp;qlik-csrf-token=" path form of Qlik's published example.
/// </summary>
public sealed class EnigmaCsrfTokenTests(CrossOriginFixture fixture) : IClassFixture<CrossOriginFixture>
{
    private const string Hub = CrossOriginHost.Hub;

    private CrossOriginHost Host => fixture.Host;

    private Task<EnigmaRunResult> RunAsync(string path, string sessionId, string? origin, params string[] steps) =>
        NodeClients.Shared.RunEnigmaAsync(new EnigmaRunRequest
        {
            Url = $"wss://localhost:{Host.Portico.HttpsPort}{path}",
            CaFile = Host.Portico.CaPath,
            Headers = new Dictionary<string, string> { ["Cookie"] = CrossOriginHost.Cookie(Hub, sessionId) },
            Origin = origin,
            AppId = "Sales Demo.qvf",
            Steps = steps,
            HyperCube = new EnigmaHyperCubeRequest(["Region"], ["Sum(Sales)"]),
        });

    [Fact]
    public async Task EnigmaClient_TokenInThePathForm_WithTheSessionCookie_GetsDataAndTheEngineNeverSeesTheToken()
    {
        var (sessionId, token) = await Host.LoginAsync();

        var result = await RunAsync($"/{Hub}/app/engineData&qlik-csrf-token={token}", sessionId, "https://app.example.com", [.. EnigmaSteps.FullSession]);

        Assert.True(result.Ok, result.RawJson);
        Assert.StartsWith("UserDirectory=CORP; UserId=u", result.Result(EnigmaSteps.GetAuthenticatedUser).GetString(), StringComparison.Ordinal);
        Assert.True(result.Result(EnigmaSteps.HyperCube).GetProperty("qMatrix").GetArrayLength() > 1, result.RawJson);
        Assert.Contains(Host.Engine.ObservedRequests, r => r.IsWebSocket && r.Path == "/app/engineData");
        Assert.DoesNotContain(Host.Engine.ObservedRequests, r =>
            r.Path.Contains(token, StringComparison.Ordinal) || r.QueryString.Contains(token, StringComparison.Ordinal) || r.Path.Contains('&', StringComparison.Ordinal));
        Assert.DoesNotContain(token, Host.Portico.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnigmaClient_TokenAfterTheIdentitySegment_KeepsTheIdentityForTheEngine()
    {
        var (sessionId, token) = await Host.LoginAsync();
        var marker = CrossOriginHost.Marker();

        var result = await RunAsync($"/{Hub}/app/engineData/identity/{marker}&qlik-csrf-token={token}", sessionId, origin: null, EnigmaSteps.EngineVersion);

        Assert.True(result.Ok, result.RawJson);
        Assert.Equal($"/app/engineData/identity/{marker}", Host.EngineRequest(marker).Path);
    }

    // WebSocket: session cookie, no qlik-csrf-token → 403 (what a mashup sees before it adds the token).
    [Fact]
    public async Task EnigmaClient_WithTheSessionCookieButNoToken_IsRefusedWith403()
    {
        var sessionId = await Host.NewSessionAsync();

        var result = await RunAsync($"/{Hub}/app/engineData", sessionId, "https://app.example.com", EnigmaSteps.EngineVersion);

        Assert.False(result.Ok);
        Assert.Equal("open", result.FailedStep);
        Assert.Equal(403, result.HttpStatus);
    }

    // WebSocket: valid token, Origin not allowed → 403.
    [Fact]
    public async Task EnigmaClient_WithTheTokenFromAnOriginNotAllowed_IsRefusedWith403()
    {
        var (sessionId, token) = await Host.LoginAsync();

        var result = await RunAsync($"/{Hub}/app/engineData&qlik-csrf-token={token}", sessionId, "https://example.com.evil.net", EnigmaSteps.EngineVersion);

        Assert.False(result.Ok);
        Assert.Equal(403, result.HttpStatus);
    }
}
