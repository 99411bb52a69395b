using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Portico.BrowserTests;

/// <summary>
/// Every sample's Node.js script (<c>node samples/{method}/{method}.mjs --json</c>) against the
/// samples' Portico: each logs in with its method, reads the qlik-csrf-token, opens the engine
/// WebSocket and prints Sum(Sales) by Region, which must be the demo app's figures.
/// </summary>
[Collection(MashupBrowser.Name)]
public sealed class NodeSampleScriptTests(MashupEnvironment environment, ITestOutputHelper output)
{
    [Theory]
    [InlineData("anonymous", "UserDirectory=ANONYMOUS;")]
    [InlineData("ticket", "UserDirectory=MASHUP; UserId=alice")]
    [InlineData("session-api", "UserDirectory=MASHUP; UserId=alice")]
    [InlineData("header", "UserDirectory=MASHUP; UserId=alice")]
    [InlineData("jwt", "UserDirectory=MASHUP; UserId=alice")]
    [InlineData("saml", "UserDirectory=SAMLDEMO; UserId=alice")]
    public async Task Script_AgainstItsVirtualProxy_PrintsSalesByRegion(string method, string user)
    {
        var (exitCode, result) = await RunAsync(method, method == "header" ? new() { ["PORTICO_LOCAL_ADDRESS"] = "127.0.0.2" } : []);

        Assert.True(exitCode == 0 && result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.StartsWith(user, result.GetProperty("user").GetString(), StringComparison.Ordinal);
        var rows = result.GetProperty("rows").EnumerateArray().ToDictionary(
            row => row[0].GetString()!,
            row => row[1].GetDouble().ToString("N0", CultureInfo.InvariantCulture));
        Assert.Equal(MashupAssert.SalesByRegion.OrderBy(p => p.Key), rows.OrderBy(p => p.Key));
        if (method != "jwt")
        {
            // @qlik/api reads the token itself; the others print that step.
            Assert.Contains(result.GetProperty("steps").EnumerateArray(), s => s.GetString()!.StartsWith("qlik-csrf-token read", StringComparison.Ordinal));
        }
    }

    /// <summary>The header script from an address the header virtual proxy does not trust (127.0.0.1) gets no session and no token.</summary>
    [Fact]
    public async Task HeaderScript_FromAnUntrustedAddress_IsRefused()
    {
        var (exitCode, result) = await RunAsync("header", []);

        Assert.NotEqual(0, exitCode);
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Contains("no qlik-csrf-token", result.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, JsonElement Result)> RunAsync(string method, Dictionary<string, string> extra)
    {
        var environmentVariables = new Dictionary<string, string>(extra)
        {
            ["PORTICO_URL"] = $"https://localhost:{environment.PorticoPort}",
            ["PORTICO_QPS_URL"] = $"https://localhost:{environment.QpsPort}",
            ["PORTICO_DATA"] = environment.PorticoDataDirectory,
            ["PORTICO_PREFIX"] = method,
            ["PORTICO_DIRECTORY"] = "MASHUP",
        };
        var (exitCode, text) = await SamplePackages.RunScriptAsync(method, environmentVariables);
        output.WriteLine(text);
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException($"samples/{method}/{method}.mjs printed no result (exit {exitCode}): {text}");
        using var json = JsonDocument.Parse(line);
        return (exitCode, json.RootElement.Clone());
    }
}
