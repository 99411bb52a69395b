using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using Portico.Bench.Shared;

// Usage:
//   ClusterProbe revocation --a https://127.0.0.1:P/bench --b https://127.0.0.1:Q/bench --samples N
//     N times: an anonymous login on A, an engine socket on B, a logout on A; the time from the
//     logout's answer until B closes the socket. Prints p50/p99/max in ms.
//   ClusterProbe failover --doomed https://127.0.0.1:P/bench --doomed-pid PID --b https://127.0.0.1:Q/bench
//     A login and a socket through the doomed node, SIGKILL of it, then the time until the same
//     cookie and token are served again through B (an HTTP request and a new socket).
var mode = args.Length > 0 ? args[0] : "";
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

using var http = new HttpClient(LoopbackHandler.Create()) { Timeout = TimeSpan.FromSeconds(20) };
using var upgrades = new HttpMessageInvoker(LoopbackHandler.Create());

switch (mode)
{
    case "revocation":
        await RevocationAsync(new Uri(options["--a"]), new Uri(options["--b"]), int.Parse(options.GetValueOrDefault("--samples", "50"), CultureInfo.InvariantCulture));
        break;
    case "failover":
        await FailoverAsync(new Uri(options["--doomed"]), int.Parse(options["--doomed-pid"], CultureInfo.InvariantCulture), new Uri(options["--b"]));
        break;
    default:
        Console.Error.WriteLine("usage: ClusterProbe revocation|failover ...");
        return 2;
}

return 0;

async Task RevocationAsync(Uri a, Uri b, int samples)
{
    var latencies = new List<double>();
    var failed = 0;
    for (var i = 0; i < samples; i++)
    {
        var (cookie, token) = await LoginAsync(a);
        using var socket = await OpenSocketAsync(b, cookie, token);
        using var logout = new HttpRequestMessage(HttpMethod.Delete, a + "/qps/user");
        logout.Headers.Add("Cookie", cookie);
        logout.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var answer = await http.SendAsync(logout);
        var clock = Stopwatch.StartNew();
        if (await ClosedWithinAsync(socket, TimeSpan.FromSeconds(10)))
        {
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }
        else
        {
            failed++;
        }
    }

    latencies.Sort();
    Console.WriteLine(FormattableString.Invariant(
        $"{{\"count\":{latencies.Count},\"failed\":{failed},\"p50Ms\":{Percentile(latencies, 0.50):F1},\"p99Ms\":{Percentile(latencies, 0.99):F1},\"maxMs\":{(latencies.Count == 0 ? 0 : latencies[^1]):F1}}}"));
}

async Task FailoverAsync(Uri doomed, int pid, Uri b)
{
    var (cookie, token) = await LoginAsync(doomed);
    using var socket = await OpenSocketAsync(doomed, cookie, token);
    using (var doomedProcess = Process.GetProcessById(pid))
    {
        doomedProcess.Kill();
    }

    var clock = Stopwatch.StartNew();
    var closed = await ClosedWithinAsync(socket, TimeSpan.FromSeconds(10));
    var socketLostMs = clock.Elapsed.TotalMilliseconds;
    // The client reconnects through the load balancer's other node with what it already holds.
    using var again = await OpenSocketAsync(b, cookie, token);
    var servedMs = clock.Elapsed.TotalMilliseconds;
    Console.WriteLine(FormattableString.Invariant(
        $"{{\"socketClosed\":{(closed ? "true" : "false")},\"socketLostMs\":{socketLostMs:F1},\"servedAgainMs\":{servedMs:F1},\"reconnectMs\":{servedMs - socketLostMs:F1}}}"));
}

async Task<(string Cookie, string Token)> LoginAsync(Uri node)
{
    using var page = await http.GetAsync(node + "/");
    var cookie = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';', 2)[0]));
    using var csrf = new HttpRequestMessage(HttpMethod.Get, node + "/qps/csrftoken");
    csrf.Headers.Add("Cookie", cookie);
    using var tokenAnswer = await http.SendAsync(csrf);
    return (cookie, tokenAnswer.Headers.GetValues("qlik-csrf-token").First());
}

async Task<ClientWebSocket> OpenSocketAsync(Uri node, string cookie, string token)
{
    var socket = new ClientWebSocket();
    socket.Options.SetRequestHeader("Cookie", cookie);
    socket.Options.SetRequestHeader("qlik-csrf-token", token);
    var url = new UriBuilder(node + "/app/bench") { Scheme = "wss" }.Uri;
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
    await socket.ConnectAsync(url, upgrades, timeout.Token);
    // One echo: the tunnel to the backend is open.
    await socket.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
    var buffer = new byte[4096];
    await socket.ReceiveAsync(buffer, timeout.Token);
    return socket;
}

static async Task<bool> ClosedWithinAsync(ClientWebSocket socket, TimeSpan limit)
{
    using var timeout = new CancellationTokenSource(limit);
    var buffer = new byte[4096];
    try
    {
        while ((await socket.ReceiveAsync(buffer, timeout.Token)).MessageType != WebSocketMessageType.Close)
        {
        }

        return true;
    }
    catch (WebSocketException)
    {
        return true;
    }
    catch (OperationCanceledException)
    {
        return false;
    }
}

static double Percentile(List<double> sorted, double p) =>
    sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
