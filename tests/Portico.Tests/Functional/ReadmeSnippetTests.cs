using System.Text.RegularExpressions;
using Portico.DemoEngine;
using Portico.TestSupport;
using Portico.Tests.Support;

namespace Portico.Tests.Functional;

/// <summary>The README's enigma.js snippet, copied out exactly as a reader would, runs on Node against Portico.</summary>
public sealed partial class ReadmeSnippetTests : IAsyncLifetime
{
    private DemoEngineServer _engine = null!;
    private PorticoTestHost _portico = null!;

    public async Task InitializeAsync()
    {
        _engine = await DemoEngineServer.StartAsync(new DemoEngineOptions());
        _portico = await PorticoTestHost.StartAsync(PorticoTestHost.BaseConfig(PorticoTestHost.AnonymousProxy("", _engine.BaseAddress)));
    }

    public async Task DisposeAsync()
    {
        await _portico.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task EnigmaSnippet_RunAsWrittenWithNode_ListsTheDemoApps()
    {
        var snippet = ReadmeSnippet();
        Assert.Contains("process.env.PORTICO_URL ?? 'wss://localhost:8443/app/engineData'", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("require('", snippet, StringComparison.Ordinal);
        var clients = NodeClients.Shared;
        var script = Path.Combine(clients.ClientsDirectory, $"readme-snippet-{Guid.NewGuid():N}.mjs");
        await File.WriteAllTextAsync(script, snippet);
        try
        {
            var (exitCode, output, error) = await clients.RunNodeAsync(
                [script],
                new Dictionary<string, string>
                {
                    ["PORTICO_URL"] = $"wss://localhost:{_portico.HttpsPort}/app/engineData",
                    ["PORTICO_CA"] = _portico.CaPath,
                },
                TimeSpan.FromSeconds(30));

            Assert.True(exitCode == 0, $"exit {exitCode}: {error}{output}");
            Assert.Equal("[ 'Sales Demo.qvf' ]", output.Trim());
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>The README's only js block that builds an enigma session from PORTICO_URL.</summary>
    private static string ReadmeSnippet()
    {
        var readme = File.ReadAllText(Path.Combine(NodeClients.LocateRepositoryRoot(), "README.md"));
        return Assert.Single(JsBlock().Matches(readme).Select(m => m.Groups["code"].Value), code => code.Contains("PORTICO_URL", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^```js\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex JsBlock();
}
