using Portico.Tests.Functional.Authentication;
using Portico.TestSupport;
using Xunit.Abstractions;

namespace Portico.Tests.Functional.QlikApi;

/// <summary>
/// The unmodified @qlik/api (npm, tests/clients) in Node.js opening the demo app through Portico, as
/// an integration on a server would: JWT login by getAccessToken on the JWT virtual proxy (the
/// client trades the token for the session cookie on /qlik-embed/main.js), and the anonymous
/// default virtual proxy. Time to open is written to the test output.
/// </summary>
public sealed class QlikApiNodeTests(QlikApiFixture fixture, ITestOutputHelper output) : IClassFixture<QlikApiFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OpenAppSession_JwtVirtualProxyWindowsCookie_ReadsLayoutAndHyperCube(bool autoResume)
    {
        var user = "qlikapi-" + (autoResume ? "resume" : "plain");
        var result = await RunAsync(new QlikApiRunRequest
        {
            Host = fixture.Host(QlikApiFixture.JwtPrefix),
            AuthType = "windowscookie",
            Jwt = TestTokens.Valid(userId: user),
            AutoResume = autoResume,
            CaFile = fixture.Portico.CaPath,
        }, $"JWT virtual proxy, windowscookie, autoResume {autoResume}");

        AssertSalesData(result);
        // The engine saw the JWT's user on the socket; the token itself never reached it.
        var upgrade = Assert.Single(fixture.Engine.ObservedRequests, r => r.IsWebSocket && r.Headers.GetValueOrDefault("x-qlik-user", "").Contains(user, StringComparison.Ordinal));
        Assert.Equal($"UserDirectory=CORP; UserId={user}", upgrade.Headers["x-qlik-user"]);
        Assert.DoesNotContain(fixture.Engine.ObservedRequests, r => r.Headers.ContainsKey("authorization"));
    }

    [Fact]
    public async Task OpenAppSession_AnonymousDefaultVirtualProxy_ReadsLayoutAndHyperCube()
    {
        var result = await RunAsync(new QlikApiRunRequest
        {
            Host = fixture.Host(""),
            AuthType = "none",
            CaFile = fixture.Portico.CaPath,
        }, "anonymous default virtual proxy, authType none");

        AssertSalesData(result);
    }

    [Fact]
    public async Task OpenAppSession_JwtSignedByAnotherKey_GetsNoData()
    {
        var token = Unit.Authentication.Jwt.TestJwt.Rs256(new Dictionary<string, object?>
        {
            ["userId"] = "mallory",
            ["userDirectory"] = "CORP",
            ["aud"] = "portico-tests",
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(),
        }, Unit.Authentication.Jwt.TestJwt.OtherRsa);

        var result = await RunAsync(new QlikApiRunRequest
        {
            Host = fixture.Host(QlikApiFixture.JwtPrefix),
            AuthType = "windowscookie",
            Jwt = token,
            CaFile = fixture.Portico.CaPath,
            TimeoutMs = 10_000,
        }, "JWT signed by another key");

        Assert.False(result.Ok, result.RawJson);
        Assert.Equal("open", result.FailedStep);
        Assert.Empty(result.Rows);
        Assert.DoesNotContain(fixture.Engine.ObservedRequests, r => r.Headers.GetValueOrDefault("x-qlik-user", "").Contains("mallory", StringComparison.Ordinal));
    }

    private async Task<QlikApiRunResult> RunAsync(QlikApiRunRequest request, string label)
    {
        var result = await NodeClients.Shared.RunQlikApiAsync(request);
        output.WriteLine($"@qlik/api in Node, {label}: opened in {result.OpenMs?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} ms, whole run {result.DurationMs} ms");
        output.WriteLine(result.RawJson);
        return result;
    }

    private static void AssertSalesData(QlikApiRunResult result)
    {
        Assert.True(result.Ok, result.RawJson);
        Assert.Equal("Sales Demo", result.LayoutTitle);
        var rendered = result.Rows.ToDictionary(row => row[0], row => row[1]);
        Assert.Equal(SalesDemoFigures.SalesByRegion.OrderBy(p => p.Key), rendered.OrderBy(p => p.Key));
    }
}
