using Microsoft.Playwright;

namespace Portico.BrowserTests;

/// <summary>
/// Debian's Chromium as every browser test starts it: headless, no sandbox or GPU, none of its own
/// network chatter, test host names resolved to loopback, and only the named test keys trusted
/// beyond the system's (their SPKI hashes), so no certificate check is turned off.
/// </summary>
internal static class HeadlessChromium
{
    /// <param name="hostResolverRules">Chromium's <c>--host-resolver-rules</c>; null when the tests use localhost only.</param>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string? hostResolverRules, params string[] trustedSpkiHashes) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = MashupEnvironment.ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                .. hostResolverRules is null ? Array.Empty<string>() : ["--host-resolver-rules=" + hostResolverRules],
                "--ignore-certificate-errors-spki-list=" + string.Join(',', trustedSpkiHashes),
            ],
        });
}
