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
public sealed class SampleRunScriptTests(SampleRunScriptTests.Runs runs, ITestOutputHelper output) : IClassFixture<SampleRunScriptTests.Runs>
{
    [Theory]
    [InlineData("anonymous", "UserDirectory=ANONYMOUS;")]
    [InlineData("ticket", "UserDirectory=DEMO; UserId=alice")]
    [InlineData("header", "UserDirectory=MASHUP; UserId=alice")]
    [InlineData("jwt", null)]
    [InlineData("session-api", "UserDirectory=DEMO; UserId=alice")]
    [InlineData("saml", "UserDirectory=SAMLDEMO; UserId=alice")]
    [InlineData("oidc", "UserDirectory=IDP; UserId=alice")]
    public async Task RunScript_Method_PrintsSalesByRegionAndStopsAll(string method, string? user)
    {
        var (run, exitCode) = await runs.ResultAsync(method);
        output.WriteLine(run.Output);

        Assert.True(exitCode == 0, $"exit code {exitCode}");
        Assert.Equal(MashupAssert.SalesByRegion.OrderBy(p => p.Key), run.PrintedSales.OrderBy(p => p.Key));
        Assert.Contains($"started Portico https://localhost:{run.Ports["PORTICO_RUN_HTTPS_PORT"]} with samples/{method}/portico.json", run.Output, StringComparison.Ordinal);
        if (user is not null)
        {
            // @qlik/api (jwt) opens the socket without printing the user.
            Assert.Contains($"engine WebSocket open as {user}", run.Output, StringComparison.Ordinal);
        }

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

    /// <summary>Ctrl-C once the identity provider and Portico run: the runner stops both (and the script, if it started) and ends with 130.</summary>
    [Fact]
    public async Task RunScript_CtrlC_StopsAll()
    {
        var (run, exitCode) = await runs.ResultAsync(Runs.InterruptedSaml);
        output.WriteLine(run.Output);

        Assert.Equal(130, exitCode);
        Assert.Contains("SIGINT: stopping", run.Output, StringComparison.Ordinal);
        Assert.Contains("stopped ", run.Output, StringComparison.Ordinal);
        Assert.True(run.StartedProcessIds.Count >= 2, run.Output);
        run.AssertNothingLeftRunning("saml");
    }

    /// <summary>Every run of this class, started at once on its own ports, at most <see cref="Concurrency"/> at a time.</summary>
    public sealed class Runs : IAsyncLifetime, IDisposable
    {
        public const string FailingOidc = "oidc, unknown user";
        public const string InterruptedSaml = "saml, Ctrl-C";
        private const int Concurrency = 3;

        private static readonly string[] PortSettings =
            ["PORTICO_RUN_HTTPS_PORT", "PORTICO_RUN_QPS_PORT", "PORTICO_RUN_ENGINE_PORT", "PORTICO_RUN_IDP_PORT", "PORTICO_RUN_PROVIDER_PORT"];

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
            _ports = SampleRun.FreePorts((methods.Length + 2) * PortSettings.Length);
            _results = methods.ToDictionary(m => m, m => RunAsync([m], null, null));
            _results[FailingOidc] = RunAsync(["oidc"], new Dictionary<string, string> { ["PORTICO_USER"] = "mallory" }, null);
            _results[InterruptedSaml] = RunAsync(["saml"], null, line => line.Contains("started Portico", StringComparison.Ordinal));
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

        /// <param name="interruptAfter">When given, a Ctrl-C is sent once a printed line passes it.</param>
        private async Task<(SampleRun Run, int ExitCode)> RunAsync(string[] arguments, Dictionary<string, string>? environment, Func<string, bool>? interruptAfter)
        {
            Dictionary<string, int> ports;
            lock (_ports)
            {
                ports = PortSettings.ToDictionary(name => name, _ => _ports.Dequeue());
            }

            await _slots.WaitAsync();
            try
            {
                var run = SampleRun.Start(arguments, ports, environment);
                lock (_started)
                {
                    _started.Add(run);
                }

                if (interruptAfter is not null)
                {
                    await run.WaitForLineAsync(interruptAfter);
                    await run.InterruptAsync();
                }

                return (run, await run.WaitForExitAsync());
            }
            finally
            {
                _slots.Release();
            }
        }
    }
}
