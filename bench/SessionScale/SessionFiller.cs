using System.Diagnostics;
using Portico.Bench.Shared;

namespace Portico.Bench.SessionScale;

/// <summary>
/// Creates sessions the way browsers do: a request without a cookie on an AllowAnonymous virtual
/// proxy logs in anonymously and gets a Set-Cookie. The request is Portico's own
/// <c>GET /{prefix}/qps/user</c>, so no engine work is mixed into the cost of a login.
/// </summary>
internal sealed class SessionFiller(HttpClient http, ScaleOptions options)
{
    public async Task<FillResult> FillAsync()
    {
        var cookies = new string?[options.Sessions];
        // Completion time of every session, to see whether logins slow down as the store grows.
        var completedAt = new long[options.Sessions];
        var next = -1;
        var done = -1;
        long failed = 0;
        string? firstError = null;
        var rssSamples = new List<(int Sessions, long RssKb)>();
        var tenth = Math.Max(1, options.Sessions / 10);
        var userUri = new Uri(options.Base + "/qps/user");
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(options.MaxSeconds * Stopwatch.Frequency);

        await Task.WhenAll(Enumerable.Range(0, options.Parallel).Select(async _ =>
        {
            int slot;
            while (Stopwatch.GetTimestamp() < stopAt && (slot = Interlocked.Increment(ref next)) < options.Sessions)
            {
                try
                {
                    cookies[slot] = await LoginAsync(userUri);
                    var index = Interlocked.Increment(ref done);
                    completedAt[index] = Stopwatch.GetTimestamp();
                    if ((index + 1) % tenth == 0)
                    {
                        var rss = ProcessMemory.RssKb(options.MeasurePid);
                        lock (rssSamples)
                        {
                            rssSamples.Add((index + 1, rss));
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidDataException)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, $"{ex.GetType().Name}: {ex.Message}", null);
                }
            }
        }));

        var created = cookies.OfType<string>().ToList();
        return new FillResult(created, completedAt.AsSpan(0, done + 1).ToArray(), started, failed, firstError, rssSamples.OrderBy(s => s.Sessions).ToList());
    }

    private async Task<string> LoginAsync(Uri userUri)
    {
        using var response = await http.GetAsync(userUri);
        if (!response.IsSuccessStatusCode || !response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            throw new InvalidDataException($"login answered {(int)response.StatusCode} without a session cookie");
        }

        var prefix = options.CookieName + "=";
        var session = setCookies.Select(c => c.Split(';', 2)[0].Trim()).FirstOrDefault(c => c.StartsWith(prefix, StringComparison.Ordinal));
        return session?[prefix.Length..] ?? throw new InvalidDataException("no session cookie in the answer");
    }
}

/// <param name="CompletedAt">Stopwatch timestamps, in completion order.</param>
/// <param name="RssSamples">Portico's VmRSS each time another tenth of the sessions was created.</param>
internal sealed record FillResult(IReadOnlyList<string> Cookies, long[] CompletedAt, long Started, long Failed, string? FirstError, IReadOnlyList<(int Sessions, long RssKb)> RssSamples)
{
    public double Seconds => CompletedAt.Length == 0 ? 0 : (CompletedAt[^1] - Started) / (double)Stopwatch.Frequency;

    /// <summary>Logins per second over the first and the last tenth of the sessions created.</summary>
    public (double First, double Last) TenthRates()
    {
        var tenth = CompletedAt.Length / 10;
        if (tenth == 0)
        {
            return (0, 0);
        }

        double Rate(long from, long to) => tenth / Math.Max(1e-9, (to - from) / (double)Stopwatch.Frequency);
        return (Rate(Started, CompletedAt[tenth - 1]), Rate(CompletedAt[^(tenth + 1)], CompletedAt[^1]));
    }

    /// <summary>
    /// Bytes per session as the least-squares slope of VmRSS over the session count, from the second
    /// tenth on: start-up costs (JIT, first allocations) and the GC's fixed headroom fall out of a slope,
    /// where a plain before/after difference keeps them.
    /// </summary>
    public double? SlopeBytesPerSession()
    {
        var points = RssSamples.Skip(1).ToList();
        if (points.Count < 3)
        {
            return null;
        }

        var meanX = points.Average(p => (double)p.Sessions);
        var meanY = points.Average(p => (double)p.RssKb);
        var covariance = points.Sum(p => (p.Sessions - meanX) * (p.RssKb - meanY));
        var variance = points.Sum(p => (p.Sessions - meanX) * (p.Sessions - meanX));
        return covariance / variance * 1024;
    }
}
