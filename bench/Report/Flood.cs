using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portico.Bench.Report;

/// <summary>One second of the anonymous flood, T seconds from its start (negative: before it).</summary>
/// <param name="Live">Portico's live sessions (its meter, through dotnet-counters); null when no reading fell in that second.</param>
/// <param name="RssKb">Portico's VmRSS; null when no sample fell in that second.</param>
/// <param name="Ok">Flood requests answered 200 in that second: each made a session.</param>
/// <param name="Refused">Flood requests answered 503: the session cap.</param>
/// <param name="Other">Flood requests answered anything else.</param>
internal sealed record FloodSecond(int T, long? Live, long? RssKb, long Ok, long Refused, long Other);

/// <summary>The legitimate user's requests in one phase of the flood (sent before, during or after it).</summary>
internal sealed record UserPhase(long Count, double P50Ms, double P99Ms, double MaxMs, long Failed);

/// <summary>
/// The anonymous flood (Portico only), from the run's flood/ directory: settings.json (bench/run),
/// wrk.txt (lua/flood.lua's JSON line), counters.json (dotnet-counters), rss.txt ("unix-ms kB" per
/// second) and user.txt (LoadClient steady's JSON line). Every figure the report shows is derived here.
/// </summary>
internal sealed partial class FloodRun
{
    /// <summary>How much the RSS envelope may rise from the first half of the capped phase to the second.</summary>
    public const double FlatThreshold = 1.10;

    /// <summary>How much more memory (after a full GC) Portico may hold once the flood's sessions have ended than before it.</summary>
    public const double ComesBackThreshold = 1.10;

    private FloodRun(JsonElement settings, JsonElement? wrk, JsonElement? user, IReadOnlyList<FloodSecond> series, bool liveMeasured)
    {
        Cap = settings.GetProperty("maxLiveSessions").GetInt64();
        GraceSeconds = settings.GetProperty("graceSeconds").GetInt32();
        FloodSeconds = settings.GetProperty("floodSeconds").GetInt32();
        Connections = settings.GetProperty("connections").GetInt32();
        UserRate = settings.GetProperty("userRate").GetDouble();
        CountersTool = settings.TryGetProperty("counters", out var c) ? c.GetString() ?? "" : "";
        Series = series;
        LiveMeasured = liveMeasured;
        if (wrk is { } w)
        {
            Requests = w.GetProperty("count").GetInt64();
            Rate = w.GetProperty("rate").GetDouble();
            SocketErrors = w.GetProperty("errors").GetInt64();
            Statuses = w.GetProperty("statuses").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        }

        if (user is { } u)
        {
            UserMeasured = true;
            UserFailed = u.GetProperty("failed").GetInt64();
            UserCount = u.GetProperty("count").GetInt64();
            UserFirstError = u.TryGetProperty("firstError", out var e) ? e.GetString() : null;
            UserStartedLateMs = u.TryGetProperty("startedLateMs", out var late) ? late.GetDouble() : null;
            RssBeforeGcKb = u.TryGetProperty("rssBeforeGcKb", out var b) ? b.GetInt64() : null;
            RssAfterGcKb = u.TryGetProperty("rssAfterGcKb", out var a) ? a.GetInt64() : null;
            if (u.TryGetProperty("phases", out var phases))
            {
                UserPhases = phases.EnumerateObject().ToDictionary(p => p.Name, p => new UserPhase(
                    p.Value.GetProperty("count").GetInt64(), p.Value.GetProperty("p50Ms").GetDouble(), p.Value.GetProperty("p99Ms").GetDouble(),
                    p.Value.GetProperty("maxMs").GetDouble(), p.Value.GetProperty("failed").GetInt64()));
            }
        }
    }

    public long Cap { get; }

    public int GraceSeconds { get; }

    public int FloodSeconds { get; }

    public int Connections { get; }

    public double UserRate { get; }

    public string CountersTool { get; }

    public IReadOnlyList<FloodSecond> Series { get; }

    public bool LiveMeasured { get; }

    /// <summary>Flood requests answered (wrk's count), their rate, and wrk's socket errors and timeouts.</summary>
    public long Requests { get; }

    public double Rate { get; }

    public long SocketErrors { get; }

    public IReadOnlyDictionary<string, long> Statuses { get; } = new Dictionary<string, long>();

    public long Ok => Statuses.GetValueOrDefault("200");

    public long Refused => Statuses.GetValueOrDefault("503");

    public long OtherAnswers => Statuses.Where(s => s.Key is not ("200" or "503")).Sum(s => s.Value);

    public bool UserMeasured { get; }

    public long UserCount { get; }

    public long UserFailed { get; }

    public string? UserFirstError { get; }

    public double? UserStartedLateMs { get; }

    public IReadOnlyDictionary<string, UserPhase> UserPhases { get; } = new Dictionary<string, UserPhase>();

    public long? RssBeforeGcKb { get; }

    public long? RssAfterGcKb { get; }

    private IEnumerable<FloodSecond> During => Series.Where(s => s.T >= 0 && s.T < FloodSeconds);

    public long? PeakLive => LiveMeasured ? Series.Max(s => s.Live) : null;

    /// <summary>Live sessions at the last reading before the flood (the warm-up's, not yet ended, and the user's).</summary>
    public long? LiveBefore => Series.LastOrDefault(s => s.T < 0 && s.Live is not null)?.Live;

    /// <summary>Live sessions at the last reading, once the flood's sessions have had their grace and a sweep.</summary>
    public long? LiveAtEnd => Series.LastOrDefault(s => s.Live is not null)?.Live;

    /// <summary>The first second of the flood with an answer 503, or failing that a reading at the cap.</summary>
    public int? CapReachedAt => During.FirstOrDefault(s => s.Refused > 0)?.T ?? During.FirstOrDefault(s => s.Live >= Cap)?.T;

    /// <summary>VmRSS before the flood: the median of the samples of the seconds before it.</summary>
    public long? RssBeforeKb => Median(Series.Where(s => s.T < 0).Select(s => s.RssKb));

    /// <summary>VmRSS in the second the cap was first reached (or the next sample).</summary>
    public long? RssAtCapKb => CapReachedAt is { } t ? Series.FirstOrDefault(s => s.T >= t && s.RssKb is not null)?.RssKb : null;

    /// <summary>VmRSS in the flood's last second (or the last sample before).</summary>
    public long? RssEndKb => During.LastOrDefault(s => s.RssKb is not null)?.RssKb;

    public long? RssPeakKb => During.Max(s => s.RssKb);

    /// <summary>VmRSS at the last sample, after the flood, without a GC.</summary>
    public long? RssLastKb => Series.LastOrDefault(s => s.RssKb is not null)?.RssKb;

    /// <summary>Flood requests answered from the second the cap was first reached to the flood's end.</summary>
    public long RequestsAfterCap => CapReachedAt is { } t ? During.Where(s => s.T >= t).Sum(s => s.Ok + s.Refused + s.Other) : 0;

    /// <summary>
    /// The capped phase (from the cap to the flood's end) in two halves, and the highest VmRSS in
    /// each. The GC makes RSS a sawtooth: a session that ended is garbage until the next full
    /// collection, so RSS climbs by up to a store's weight and drops back. Comparing the peaks of
    /// the two halves compares like with like; memory that grows with the requests (or the
    /// sessions made and ended) raises the second half's peak above the first's.
    /// </summary>
    public (int From, int Middle, int Until, long FirstPeakKb, long SecondPeakKb)? CappedHalves
    {
        get
        {
            if (CapReachedAt is not { } from || FloodSeconds - from < 4)
            {
                return null;
            }

            var middle = from + (FloodSeconds - from) / 2;
            var first = During.Where(s => s.T >= from && s.T < middle).Max(s => s.RssKb);
            var second = During.Where(s => s.T >= middle).Max(s => s.RssKb);
            return first is { } f && second is { } s ? (from, middle, FloodSeconds, f, s) : null;
        }
    }

    public IReadOnlyList<Goal> Goals()
    {
        const string scenario = "anonymous-flood";
        var goals = new List<Goal>();
        if (PeakLive is { } peak)
        {
            goals.Add(new Goal("flood/cap-holds", "Live sessions never exceed the session cap", scenario, peak, AtLeast: false, Cap, null,
                Method: "peak of the per-second readings of portico.sessions.live", Kind: GoalKind.Count));
        }

        var halves = CappedHalves;
        goals.Add(new Goal("flood/rss-flat", "RSS flat once the session cap is reached", scenario,
            halves is { } h ? (double)h.SecondPeakKb / h.FirstPeakKb : double.NaN, AtLeast: false, FlatThreshold, null,
            Method: halves is { } m
                ? Format.Invariant($"peak VmRSS, 2nd half of the capped phase (s {m.Middle}–{m.Until - 1}) ÷ 1st half (s {m.From}–{m.Middle - 1})")
                : "not judged: the cap was not reached at least 4 s before the flood's end"));
        goals.Add(new Goal("flood/memory-comes-back", "Memory comes back once the flood's sessions have ended", scenario,
            RssBeforeGcKb is { } before && RssAfterGcKb is { } after ? (double)after / before : double.NaN, AtLeast: false, ComesBackThreshold, null,
            Method: RssBeforeGcKb is not null && RssAfterGcKb is not null
                ? "VmRSS after a full GC, after the flood ÷ before it"
                : "not measured (the legitimate user's client read no VmRSS)"));
        goals.Add(new Goal("flood/user-not-refused", "The legitimate user gets no refusals", scenario,
            UserMeasured ? UserFailed : double.NaN, AtLeast: false, 0, null,
            Method: UserMeasured ? "requests not answered 200, before, during and after the flood" : "not measured (no result from LoadClient steady)",
            Kind: GoalKind.Count));
        return goals;
    }

    public static FloodRun? Load(string runDirectory)
    {
        var directory = Path.Combine(runDirectory, "flood");
        var settingsPath = Path.Combine(directory, "settings.json");
        if (!File.Exists(settingsPath))
        {
            return null;
        }

        using var settingsDocument = JsonDocument.Parse(File.ReadAllText(settingsPath));
        var settings = settingsDocument.RootElement.Clone();
        var floodFrom = settings.GetProperty("floodFromMs").GetInt64() / 1000;
        var from = (int)(settings.GetProperty("samplesFromMs").GetInt64() / 1000 - floodFrom);
        var until = (int)((settings.GetProperty("samplesUntilMs").GetInt64() + 999) / 1000 - floodFrom);
        int Second(long unixMs) => (int)(unixMs / 1000 - floodFrom);

        var wrk = JsonLine(Path.Combine(directory, "wrk.txt"), "JSON ");
        var user = JsonLine(Path.Combine(directory, "user.txt"), "");

        var answers = new Dictionary<int, (long Ok, long Refused, long Other)>();
        if (wrk is { } w)
        {
            foreach (var row in w.GetProperty("perSecond").EnumerateArray())
            {
                answers[Second(row[0].GetInt64() * 1000)] = (row[1].GetInt64(), row[2].GetInt64(), row[3].GetInt64());
            }
        }

        var rss = new Dictionary<int, long>();
        var rssPath = Path.Combine(directory, "rss.txt");
        foreach (var line in File.Exists(rssPath) ? File.ReadLines(rssPath) : [])
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ms) && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var kb))
            {
                rss[Second(ms)] = kb;
            }
        }

        // dotnet-counters' JSON is read event by event, so a file cut short by a stopped collector still counts.
        var live = new Dictionary<int, long>();
        var countersPath = Path.Combine(directory, "counters.json");
        if (File.Exists(countersPath))
        {
            foreach (Match match in LiveEvent().Matches(File.ReadAllText(countersPath)))
            {
                var at = DateTimeOffset.Parse(match.Groups["at"].Value, CultureInfo.InvariantCulture);
                live[Second(at.ToUnixTimeMilliseconds())] = (long)double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        var series = Enumerable.Range(from, until - from).Select(t =>
        {
            var (ok, refused, other) = answers.GetValueOrDefault(t);
            return new FloodSecond(t, live.TryGetValue(t, out var l) ? l : null, rss.TryGetValue(t, out var r) ? r : null, ok, refused, other);
        }).ToList();
        return new FloodRun(settings, wrk, user, series, live.Count > 0);
    }

    private static JsonElement? JsonLine(string path, string prefix)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).LastOrDefault(l => l.StartsWith(prefix + "{", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(line[prefix.Length..]);
        return document.RootElement.Clone();
    }

    private static long? Median(IEnumerable<long?> values)
    {
        var sorted = values.OfType<long>().Order().ToArray();
        return sorted.Length == 0 ? null : sorted[sorted.Length / 2];
    }

    [GeneratedRegex("""\{\s*"timestamp":\s*"(?<at>[^"]+)"[^{}]*?"name":\s*"portico\.sessions\.live[^"]*"[^{}]*?"value":\s*(?<value>-?[0-9.eE+]+)""")]
    private static partial Regex LiveEvent();
}
