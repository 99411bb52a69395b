using System.Collections.Concurrent;
using System.Net;
using Portico.Cors;
using Portico.Hosting;
using Portico.Listeners;

namespace Portico.Doctor;

/// <summary>What the origin check found: each check with whether it passed.</summary>
internal sealed record OriginCheckResult(string Origin, string VirtualProxy, IReadOnlyList<DoctorCheck> Checks);

/// <summary>
/// The admin API's <c>POST /qrs/portico/origincheck</c> (docs/admin-api.md): <c>portico doctor</c>'s
/// browser checks for one origin, run from the server against its own HTTPS listener, so an admin
/// sees whether a page on that origin can use a virtual proxy before anyone builds the page. No
/// credential is used: the checks show what the origin is allowed, not what a user may do. Bounded:
/// a few seconds at most, one check at a time per admin.
/// </summary>
internal sealed class OriginCheckRunner(BoundListeners listeners, HostCertificates certificates, Configuration.ConfigSnapshotStore snapshots)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, byte> _running = new(StringComparer.OrdinalIgnoreCase);

    /// <returns>Null when <paramref name="caller"/> already has a check running.</returns>
    public async Task<OriginCheckResult?> RunAsync(string caller, string prefix, WebOrigin origin, CancellationToken cancellationToken)
    {
        if (!_running.TryAdd(caller, 0))
        {
            return null;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var originText = origin.ToString();
            var browser = new BrowserChecks(VirtualProxyUrl(prefix), DoctorTrust.Pinned(certificates.Server));
            using var http = browser.CreateClient(Timeout);

            var preflight = await browser.PreflightAsync(http, originText, timeout.Token);
            var (tokenResponse, failure) = await browser.SendAsync(http, HttpMethod.Get, browser.BaseUrl + "/qps/csrftoken", originText, withCredential: false, timeout.Token);
            using var disposeToken = tokenResponse;
            var token = tokenResponse is null
                ? DoctorCheck.CouldNotRun("Token readable", $"GET qps/csrftoken got no answer: {failure}")
                : BrowserChecks.CorsHeaders(tokenResponse, originText) with { Name = "Token readable" };
            var socket = await browser.WebSocketAsync(originText, token: null, expectAccepted: true, timeout.Token) with { Name = "WebSocket" };
            return new OriginCheckResult(originText, prefix, [preflight, token, socket]);
        }
        finally
        {
            _running.TryRemove(caller, out _);
        }
    }

    /// <summary>This node's HTTPS listener, reached on loopback when it listens there or everywhere.</summary>
    private Uri VirtualProxyUrl(string prefix)
    {
        var address = snapshots.Current.Config.Listeners.Https.Address;
        var host = address switch
        {
            "localhost" => "localhost",
            "*" => "127.0.0.1",
            _ when IPAddress.TryParse(address, out var ip) && ip.Equals(IPAddress.Any) => "127.0.0.1",
            _ when IPAddress.TryParse(address, out var ip) && ip.Equals(IPAddress.IPv6Any) => "[::1]",
            _ when IPAddress.TryParse(address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 => $"[{ip}]",
            _ => address,
        };
        return new Uri($"https://{host}:{listeners.HttpsPort}/{prefix}{(prefix.Length == 0 ? "" : "/")}");
    }
}
