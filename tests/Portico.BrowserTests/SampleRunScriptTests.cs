using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portico.TestSupport;
using Xunit.Abstractions;

namespace Portico.BrowserTests;

/// <summary>
/// <c>samples/run.sh &lt;method&gt;</c>, the one command of every sample's README, run for real: it
/// starts what the method needs (the SAML identity provider, the OpenID provider), Portico on the
/// sample's own config, then the sample's Node.js script, and stops it all. Each run must print the
/// demo app's Sum(Sales) by Region and leave nothing running. The runs share no port or data
/// directory, so the fixture starts them together (a few at a time) and each test awaits its own.
/// </summary>
public sealed partial class SampleRunScriptTests(SampleRunScriptTests.Runs runs, ITestOutputHelper output) : IClassFixture<SampleRunScriptTests.Runs>
{
    [Theory]
    [InlineData("anonymous", "engine WebSocket open as UserDirectory=ANONYMOUS;")]
    [InlineData("ticket", "engine WebSocket open as UserDirectory=DEMO; UserId=alice")]
    [InlineData("header", "engine WebSocket open as UserDirectory=MASHUP; UserId=alice")]
    [InlineData("jwt", "JWT for DEMO\\alice (audience portico-demo), given to @qlik/api")]
    [InlineData("session-api", "engine WebSocket open as UserDirectory=DEMO; UserId=alice")]
    [InlineData("saml", "engine WebSocket open as UserDirectory=SAMLDEMO; UserId=alice")]
    [InlineData("oidc", "engine WebSocket open as UserDirectory=IDP; UserId=alice")]
    public async Task RunScript_Method_PrintsSalesByRegionAndStopsAll(string method, string login)
    {
        var (run, exitCode) = await runs.ResultAsync(method);
        output.WriteLine($"{run.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(run.Output);

        Assert.True(exitCode == 0, $"exit code {exitCode}");
        Assert.Equal(MashupAssert.SalesByRegion.OrderBy(p => p.Key), run.PrintedSales.OrderBy(p => p.Key));
        // Portico on the sample's own config (a copy on this run's ports), then the sample's own script, as the user signed in.
        Assert.Contains($"started Portico https://localhost:{run.Ports["PORTICO_RUN_HTTPS_PORT"]} with samples/{method}/portico.json", run.Output, StringComparison.Ordinal);
        Assert.Contains($"node samples/{method}/{method}.mjs", run.Output, StringComparison.Ordinal);
        Assert.Contains(login, run.Output, StringComparison.Ordinal);

        run.AssertNothingLeftRunning(method);
    }

    /// <summary>The OpenID provider refuses a user it does not know: the script fails, the run says so with its exit code, and still stops everything.</summary>
    [Fact]
    public async Task RunScript_ScriptFails_ExitsNonZeroAndStopsAll()
    {
        var (run, exitCode) = await runs.ResultAsync(Runs.FailingOidc);
        output.WriteLine(run.Output);

        Assert.Equal(1, exitCode);
        Assert.Contains("did not sign mallory in", run.Output, StringComparison.Ordinal);
        Assert.Contains("oidc.mjs failed (exit code 1); Portico's last output:", run.Output, StringComparison.Ordinal);
        Assert.Empty(run.PrintedSales);
        run.AssertNothingLeftRunning("oidc");
    }

    /// <summary>Ctrl-C while the sample's script runs: the runner stops the script and Portico and ends with 130, printing no data.</summary>
    [Fact]
    public async Task RunScript_CtrlCDuringScript_StopsAll()
    {
        var (run, exitCode) = await runs.ResultAsync(Runs.Interrupted);
        output.WriteLine(run.Output);

        Assert.Equal(130, exitCode);
        Assert.Contains("SIGINT: stopping", run.Output, StringComparison.Ordinal);
        Assert.Contains("stopped node anonymous.mjs", run.Output, StringComparison.Ordinal);
        Assert.Empty(run.PrintedSales);
        run.AssertNothingLeftRunning("anonymous");
    }

    /// <summary>
    /// <c>samples/run.sh oidc --page</c>: with the provider and Portico it starts the samples' back
    /// end and prints a Chromium command and the page's address. That command's host mapping and
    /// certificate list, in headless Chromium, open the page; its sign-in at the provider in a popup
    /// brings the data onto the page. Ctrl-C then stops all four processes.
    /// </summary>
    [Fact]
    public async Task RunScriptPage_PrintedChromiumCommand_ShowsSalesDataAfterSignIn()
    {
        var rows = new Dictionary<string, string>();
        var state = "";
        var (run, exitCode) = await runs.RunAsync(["oidc", "--page"], null, async run =>
        {
            await run.WaitForLineAsync(line => line.StartsWith("The page: ", StringComparison.Ordinal));
            var printed = run.Output;
            var resolverRules = ResolverRulesPattern().Match(printed).Groups[1].Value;
            var spki = SpkiListPattern().Match(printed).Groups[1].Value.Split(',');
            var address = PageAddressPattern().Match(printed).Groups[1].Value;

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await HeadlessChromium.LaunchAsync(playwright, resolverRules, spki);
            var page = await browser.NewPageAsync();
            await page.GotoAsync(address);
            var popup = await page.RunAndWaitForPopupAsync(() => page.ClickAsync("#sign-in"));
            await popup.FillAsync("#login", "alice");
            await popup.ClickAsync("#submit");
            var status = page.Locator("#status[data-state=ready], #status[data-state=error]");
            await status.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            state = $"{await status.GetAttributeAsync("data-state")}: {await status.InnerTextAsync()}";
            foreach (var row in await page.Locator("#sales tbody tr").AllAsync())
            {
                var cells = await row.Locator("td").AllInnerTextsAsync();
                rows[cells[0]] = cells[1];
            }

            await run.InterruptAsync();
        });
        output.WriteLine(run.Output);

        Assert.StartsWith("ready", state, StringComparison.Ordinal);
        Assert.Equal(MashupAssert.SalesByRegion.OrderBy(p => p.Key), rows.OrderBy(p => p.Key));
        Assert.Equal(130, exitCode);
        Assert.Contains("started the samples' back end", run.Output, StringComparison.Ordinal);
        Assert.Equal(3, run.StartedProcessIds.Distinct().Count());
        run.AssertNothingLeftRunning("oidc");
    }

    [GeneratedRegex("--host-resolver-rules=\"([^\"]+)\"")]
    private static partial Regex ResolverRulesPattern();

    [GeneratedRegex(@"--ignore-certificate-errors-spki-list=(\S+)")]
    private static partial Regex SpkiListPattern();

    [GeneratedRegex(@"^The page: (\S+)", RegexOptions.Multiline)]
    private static partial Regex PageAddressPattern();

    /// <summary>Every run of this class, started at once on its own ports, at most <see cref="Concurrency"/> at a time.</summary>
    public sealed class Runs : IAsyncLifetime, IDisposable
    {
        public const string FailingOidc = "oidc, unknown user";
        public const string Interrupted = "anonymous, Ctrl-C";
        private const int Concurrency = 3;

        private static readonly string[] PortSettings =
            ["PORTICO_RUN_HTTPS_PORT", "PORTICO_RUN_QPS_PORT", "PORTICO_RUN_ENGINE_PORT", "PORTICO_RUN_IDP_PORT", "PORTICO_RUN_PROVIDER_PORT", "PORTICO_RUN_SITES_PORT"];

        private readonly SemaphoreSlim _slots = new(Concurrency);
        private readonly List<SampleRun> _started = [];
        private Dictionary<string, Task<(SampleRun Run, int ExitCode)>> _results = [];
        private Queue<int> _ports = [];

        internal Task<(SampleRun Run, int ExitCode)> ResultAsync(string name) => _results[name];

        public async Task InitializeAsync()
        {
            // Installed once here, so that no two runs install the same packages at once.
            await NodeClients.Shared.EnsureInstalledAsync();
            await SamplePackages.EnsureInstalledAsync();

            var methods = new[] { "oidc", "saml", "anonymous", "ticket", "header", "jwt", "session-api" };
            // Chosen together, so that no two runs share a port.
            _ports = SampleRun.FreePorts((methods.Length + 3) * PortSettings.Length);
            _results = methods.ToDictionary(m => m, m => RunAsync([m], null, null));
            _results[FailingOidc] = RunAsync(["oidc"], new Dictionary<string, string> { ["PORTICO_USER"] = "mallory" }, null);
            _results[Interrupted] = RunAsync(["anonymous"], null, async run =>
            {
                // The script's first step: it runs (started again by itself with Portico's CA trusted).
                await run.WaitForLineAsync(line => line.StartsWith("1. no login", StringComparison.Ordinal));
                await run.InterruptAsync();
            });
        }

        public async Task DisposeAsync()
        {
            await Task.WhenAll(_results.Values.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            foreach (var run in _started)
            {
                await run.DisposeAsync();
            }
        }

        public void Dispose() => _slots.Dispose();

        /// <param name="whileRunning">What to do once the run started, as a user at the terminal (e.g. a Ctrl-C).</param>
        internal async Task<(SampleRun Run, int ExitCode)> RunAsync(string[] arguments, Dictionary<string, string>? environment, Func<SampleRun, Task>? whileRunning)
        {
            Dictionary<string, int> ports;
            lock (_ports)
            {
                ports = PortSettings.ToDictionary(name => name, _ => _ports.Dequeue());
            }

            await _slots.WaitAsync();
            try
            {
                for (var attempt = 1; ; attempt++)
                {
                    var run = SampleRun.Start(arguments, ports, environment);
                    lock (_started)
                    {
                        _started.Add(run);
                    }

                    if (whileRunning is not null)
                    {
                        await whileRunning(run);
                    }

                    var exitCode = await run.WaitForExitAsync();
                    // A port chosen free may be taken by another test before the run binds it
                    // (the suite runs in parallel): then once more, on ports chosen just now.
                    if (exitCode == 0 || attempt == 2 || whileRunning is not null || !run.Output.Contains("address already in use", StringComparison.Ordinal))
                    {
                        return (run, exitCode);
                    }

                    var fresh = SampleRun.FreePorts(PortSettings.Length);
                    ports = PortSettings.ToDictionary(name => name, _ => fresh.Dequeue());
                }
            }
            finally
            {
                _slots.Release();
            }
        }
    }
}
