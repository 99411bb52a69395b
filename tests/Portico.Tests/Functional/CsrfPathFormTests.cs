using System.Text.Json;
using Portico.Tests.Functional.CrossOrigin;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>
/// The path form of the CSRF token (enigma.js's "&amp;qlik-csrf-token=" appended to the path) is cut
/// from the raw path before the path is normalized, so the one path that selects the virtual proxy,
/// decides the answer and is forwarded never contains it: a dot segment written around the marker
/// cannot make a request judged as one path reach an engine as another. Two markers, or one that is
/// percent-encoded, are refused. (The path form on a working engine socket is covered by
/// WebSocketCsrfTests and EnigmaCsrfTokenTests.)
/// </summary>
public sealed class CsrfPathFormTests(EngineRequestFixture fixture) : IClassFixture<EngineRequestFixture>
{
    private EngineRequestFixture Host => fixture;

    [Fact]
    public async Task DotDotSegmentCarryingTheMarker_QpsUserIsAnsweredByPortico_NothingReachesAnEngine()
    {
        var response = await Host.SendAsync("GET /a/..&qlik-csrf-token=Z/qps/user HTTP/1.1\nHost: localhost\n");

        Assert.True(response.Status == 200, $"{response.Status}: {response.Body}");
        using var json = JsonDocument.Parse(response.Body);
        Assert.StartsWith("anon-", json.RootElement.GetProperty("userId").GetString(), StringComparison.Ordinal);

        // /a/.. is the root: the default virtual proxy's endpoint answered.
        Assert.EndsWith($":{Host.Portico.HttpsPort}/qps/user", json.RootElement.GetProperty("logoutUri").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Host.Engine.ObservedRequests, r => r.Path.Contains("qps", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("/..&qlik-csrf-token=Z/app/engineData")]
    [InlineData("/a/..&qlik-csrf-token=Z/../app/engineData")]
    public async Task MarkerWhoseRemovalLeavesAPathAboveTheRoot_Is400(string path)
    {
        var marker = CrossOriginHost.Marker();

        var response = await Host.SendAsync($"GET {path}?m={marker} HTTP/1.1\nHost: localhost\n");

        AssertRefusedAsInvalidPath(response, marker);
    }

    [Theory]
    [InlineData("/a/portico-demo/echo&qlik-csrf-token=Z&qlik-csrf-token=Y")]
    [InlineData("/a/portico-demo/echo&qlik-csrf-token=Z/x&QLIK-CSRF-TOKEN=Z")]
    public async Task MarkerTwice_Is400(string path)
    {
        var marker = CrossOriginHost.Marker();

        var response = await Host.SendAsync($"GET {path}?m={marker} HTTP/1.1\nHost: localhost\n");

        AssertRefusedAsInvalidPath(response, marker);
    }

    [Theory]
    [InlineData("/a/portico-demo/echo%26qlik-csrf-token%3DZ")]
    [InlineData("/a/portico-demo/echo%26qlik-csrf-token=Z")]
    [InlineData("/a/portico-demo/echo&qlik-csrf-token%3DZ")]
    [InlineData("/a/portico-demo/echo&qlik-csrf-tok%65n=Z")]
    public async Task MarkerPercentEncoded_Is400(string path)
    {
        var marker = CrossOriginHost.Marker();

        var response = await Host.SendAsync($"GET {path}?m={marker} HTTP/1.1\nHost: localhost\n");

        AssertRefusedAsInvalidPath(response, marker);
    }

    /// <summary>Control for the refusals above: a single marker in plain text is cut, and the rest of the request goes on as it was.</summary>
    [Fact]
    public async Task SingleMarker_IsCutAndTheRequestIsForwardedWithoutIt()
    {
        var marker = CrossOriginHost.Marker();

        var response = await Host.SendAsync($"GET /a/portico-demo/echo&qlik-csrf-token=Z?m={marker} HTTP/1.1\nHost: localhost\n");

        Assert.True(response.Status == 200, $"{response.Status}: {response.Body}");
        var seen = Assert.Single(Host.Engine.ObservedRequests, r => r.QueryString.Contains(marker, StringComparison.Ordinal));
        Assert.Equal("/portico-demo/echo", seen.Path);
        Assert.Equal($"?m={marker}", seen.QueryString);
    }

    private void AssertRefusedAsInvalidPath(RawResponse response, string marker)
    {
        Assert.True(response.Status == 400, $"{response.Status}: {response.Body}");
        Assert.Contains("invalid_path", response.Body, StringComparison.Ordinal);
        Assert.Empty(response.All("Set-Cookie"));
        Assert.False(Host.Engine.Saw(marker), "the refused request reached the engine");
    }
}
