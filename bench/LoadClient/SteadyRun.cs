using System.Diagnostics;
using System.Net;
using Portico.Bench.Shared;

namespace Portico.Bench.LoadClient;

/// <summary>
/// A legitimate user while something else loads the proxy: one browser that logs in once (keeps
/// its session cookie), then sends GET --url at --rate per second for --seconds. Requests go out
/// on schedule whether or not the earlier ones have answered (a slow answer does not delay the
/// next request, so slow seconds are not under-sampled), over at most six connections, as a
/// browser would. Each request's latency is from its send to its complete answer; anything but
/// 200, and any request that failed or took over 5 s, is a failure. With --window-from and
/// --window-until the requests are also reported by phase: sent before, during and after that
/// window. With --measure-pids, the processes run a full garbage collection after the login and
/// again at the end, and their VmRSS is read each time: what they keep before and once the load has
/// passed, without the garbage a GC may not have collected yet.
/// </summary>
internal static class SteadyRun
{
    public const int BrowserConnections = 6;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    public static async Task<RunResult> RunAsync(ClientOptions options, SocketFactory factory)
    {
        Credentials credentials;
        try
        {
            using var login = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            credentials = await factory.LoginAsync(login.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return new RunResult { Mode = options.Mode, Connections = 1, Failed = 1, FirstError = $"login: {ex.Message}" };
        }

        factory.EndLogins();
        var rssBeforeGc = options.MeasurePids.Count > 0 ? await CollectedRssKbAsync(options.MeasurePids) : (long?)null;
        var startedLate = await StartSignal.WaitAsync(options);
        using var http = new HttpClient(LoopbackHandler.Create(BrowserConnections)) { Timeout = Timeout.InfiniteTimeSpan };
        var total = Math.Max(1, (int)Math.Round(options.Seconds * options.Rate));
        var interval = Stopwatch.Frequency / options.Rate;
        var requests = new List<Task<Sample>>(total);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), started + (long)(i * interval));
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            requests.Add(SendAsync(http, options, credentials));
        }

        var samples = await Task.WhenAll(requests);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var rssAfterGc = options.MeasurePids.Count > 0 ? await CollectedRssKbAsync(options.MeasurePids) : (long?)null;
        var failures = samples.Where(s => !s.Ok).ToList();
        var (p50, p99) = Percentiles(samples);
        return new RunResult
        {
            Mode = options.Mode,
            Connections = 1,
            Opened = 1,
            Failed = failures.Count,
            FirstError = failures.Select(f => f.Error).FirstOrDefault(),
            CsrfToken = credentials.CsrfToken is not null,
            DurationSeconds = elapsed,
            Count = samples.Length,
            Rate = samples.Length / elapsed,
            P50Ms = p50,
            P99Ms = p99,
            Errors = failures.Count,
            StartedLateMs = startedLate,
            RssBeforeGcKb = rssBeforeGc,
            RssAfterGcKb = rssAfterGc,
            Statuses = samples.GroupBy(s => s.Status == 0 ? "none" : s.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count()),
            Phases = Phases(options, samples),
        };
    }

    private static async Task<Sample> SendAsync(HttpClient http, ClientOptions options, Credentials credentials)
    {
        var sentAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var t0 = Stopwatch.GetTimestamp();
        try
        {
            using var timeout = new CancellationTokenSource(RequestTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, options.Url);
            request.Headers.TryAddWithoutValidation("Origin", options.Origin);
            if (credentials.CookieHeader is { } cookies)
            {
                request.Headers.TryAddWithoutValidation("Cookie", cookies);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            var status = (int)response.StatusCode;
            return new Sample(sentAt, ms, status, response.StatusCode == HttpStatusCode.OK ? null : $"HTTP {status}");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            var error = ex is OperationCanceledException ? $"no answer within {RequestTimeout.TotalSeconds:0} s" : ex.Message;
            return new Sample(sentAt, Stopwatch.GetElapsedTime(t0).TotalMilliseconds, 0, error);
        }
    }

    private static Dictionary<string, PhaseResult>? Phases(ClientOptions options, IReadOnlyList<Sample> samples)
    {
        if (options.WindowFromUnixMs is not { } from || options.WindowUntilUnixMs is not { } until)
        {
            return null;
        }

        PhaseResult Of(IEnumerable<Sample> phase)
        {
            var list = phase.ToList();
            var (p50, p99) = Percentiles(list);
            return new PhaseResult(list.Count, P50Ms: Math.Round(p50, 3), P99Ms: Math.Round(p99, 3), MaxMs: list.Count == 0 ? 0 : Math.Round(list.Max(s => s.Ms), 3),
                Failed: list.Count(s => !s.Ok));
        }

        return new Dictionary<string, PhaseResult>(StringComparer.Ordinal)
        {
            ["before"] = Of(samples.Where(s => s.SentAtUnixMs < from)),
            ["during"] = Of(samples.Where(s => s.SentAtUnixMs >= from && s.SentAtUnixMs < until)),
            ["after"] = Of(samples.Where(s => s.SentAtUnixMs >= until)),
        };
    }

    /// <summary>Nearest-rank percentiles (ms) of the answered requests; failures are counted, not timed.</summary>
    private static (double P50, double P99) Percentiles(IEnumerable<Sample> samples)
    {
        var all = samples.Where(s => s.Ok).Select(s => s.Ms).Order().ToArray();
        if (all.Length == 0)
        {
            return (0, 0);
        }

        double At(double percent) => all[Math.Max(0, (int)Math.Ceiling(percent / 100 * all.Length) - 1)];
        return (At(50), At(99));
    }

    private static async Task<long> CollectedRssKbAsync(IReadOnlyList<int> pids)
    {
        if (InducedGc.Collect(pids) > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return ProcessMemory.RssKb(pids);
    }

    private sealed record Sample(long SentAtUnixMs, double Ms, int Status, string? Error)
    {
        public bool Ok => Error is null;
    }
}

/// <summary>Steady mode: the requests sent in one phase (before, during or after the window).</summary>
internal sealed record PhaseResult(int Count, double P50Ms, double P99Ms, double MaxMs, int Failed);
