using System.Text;

namespace Portico.Bench.Report;

/// <summary>The report's section on the anonymous flood: what happened, the legitimate user, a compact time series.</summary>
internal static class FloodReport
{
    /// <summary>At most this many rows of the time series in report.md (summary.json has every second).</summary>
    private const int MaxRows = 24;

    public static void Write(StringBuilder md, FloodRun flood)
    {
        md.AppendLine("## Anonymous flood (Portico)").AppendLine()
          .AppendLine(Format.Invariant($"Cookieless requests to the anonymous virtual proxy (`GET /bench/`, forwarded to the backend), like a client that never sends back the cookie it gets, as fast as wrk sends them from the load core ({flood.Connections} connections, {flood.FloodSeconds} s). Every answer 200 made an anonymous session. Portico was started for this alone with a session cap of **{flood.Cap:#,0}** (`sessions.maxLiveSessions`), a first-use grace of **{flood.GraceSeconds} s** (`sessions.anonymousFirstUseGraceSeconds`: a session whose cookie never comes back ends after it, at the next 5-second expiry sweep) and the per-client limit off (`clientLimits.anonymousSessionsPerMinute: 0`; all load comes from 127.0.0.1). Every second: live sessions (Portico's meter `portico.sessions.live`, read by {(flood.CountersTool.Length > 0 ? flood.CountersTool : "dotnet-counters, which was not available: live sessions not measured")}), Portico's VmRSS, and the flood's answers by status. Meanwhile a legitimate user, logged in once before the flood, sends {flood.UserRate:0} requests/s with its session cookie."))
          .AppendLine();

        double? MiB(long? kb) => kb is { } v ? v / 1024.0 : null;
        string M(long? kb) => MiB(kb) is { } v ? Format.Invariant($"{v:0.0} MiB") : "—";
        var rows = new List<(string Label, string Value)>
        {
            ("flood requests answered", Format.Invariant($"{flood.Requests:#,0} in {flood.FloodSeconds} s ({Format.Number(flood.Rate)}/s); socket errors and timeouts: {flood.SocketErrors:#,0}")),
            ("answered 200 (each made a session)", Format.Invariant($"{flood.Ok:#,0}")),
            ("answered 503 (session cap reached)", Format.Invariant($"{flood.Refused:#,0}")),
            ("other answers", flood.OtherAnswers == 0 ? "0" : string.Join(", ", flood.Statuses.Where(s => s.Key is not ("200" or "503")).Select(s => Format.Invariant($"{s.Key}: {s.Value:#,0}")))),
            ("live sessions: peak / cap", flood.PeakLive is { } peak ? Format.Invariant($"{peak:#,0} / {flood.Cap:#,0}") : "not measured"),
            ("cap first reached", flood.CapReachedAt is { } at ? Format.Invariant($"{at} s into the flood") : "not reached"),
            ("live sessions before the flood → at the end, after the grace and a sweep", flood.LiveAtEnd is { } end
                ? Format.Invariant($"{(flood.LiveBefore is { } before ? before.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture) : "—")} → {end:#,0}")
                : "not measured"),
            ("VmRSS before the flood (median)", M(flood.RssBeforeKb)),
            ("VmRSS when the cap was first reached", M(flood.RssAtCapKb)),
            ("VmRSS at the end of the flood", M(flood.RssEndKb)),
            ("VmRSS growth after the cap", flood.RssAtCapKb is { } cap && flood.RssEndKb is { } last
                ? Format.Invariant($"{(last - cap) / 1024.0:+0.0;-0.0;0} MiB over {flood.RequestsAfterCap:#,0} requests answered after it ({(last - cap) * 1024.0 / Math.Max(1, flood.RequestsAfterCap):0} bytes per request)")
                : "—"),
            ("VmRSS peak during the flood", M(flood.RssPeakKb)),
            ("VmRSS peaks of the capped phase, 1st half → 2nd half", flood.CappedHalves is { } h
                ? Format.Invariant($"{M(h.FirstPeakKb)} → {M(h.SecondPeakKb)} ({(double)h.SecondPeakKb / h.FirstPeakKb:0.00}×)")
                : "—"),
            ("VmRSS at the last sample, after the flood (no GC)", M(flood.RssLastKb)),
            ("VmRSS after a full GC: before the flood → after it, its sessions ended", flood.RssBeforeGcKb is { } b && flood.RssAfterGcKb is { } a
                ? Format.Invariant($"{M(b)} → {M(a)} ({(a - b) / 1024.0:+0.0;-0.0;0} MiB)")
                : "not measured"),
        };
        md.AppendLine("| anonymous flood | |").AppendLine("|---|---:|");
        foreach (var (label, value) in rows)
        {
            md.AppendLine(Format.Invariant($"| {label} | {value} |"));
        }

        md.AppendLine();
        WriteUser(md, flood);
        WriteSeries(md, flood);
        md.AppendLine("How to read it: live sessions climb to the cap and hold there while the flood gets 503s; when the oldest sessions' grace")
          .AppendLine("has passed, a sweep ends them and the flood refills the store, so the live count dips and the 200s come back in bursts. After")
          .AppendLine("the flood every session it made ends within the grace and a sweep. VmRSS grows with the store up to the cap and then stays")
          .AppendLine("within a band: an ended session is garbage until the GC's next full collection, so RSS climbs by up to a store's weight")
          .AppendLine("and drops back. *RSS flat* therefore compares the peaks of the two halves of the capped phase, which compares like with")
          .AppendLine("like; a single reading at the cap catches the band at its floor. *Memory comes back* compares readings after a full,")
          .AppendLine("blocking GC (through the diagnostic port, as for idle sockets) before the flood and once its sessions have ended: what")
          .AppendLine("Portico still holds because of the flood. A store that kept what it was sent would fail both: its RSS would rise with")
          .AppendLine("every session made, about 1 KB each (see session scale).").AppendLine();
    }

    private static void WriteUser(StringBuilder md, FloodRun flood)
    {
        if (!flood.UserMeasured)
        {
            md.AppendLine("The legitimate user's client gave no result (see flood/user.txt in the raw directory).").AppendLine();
            return;
        }

        md.AppendLine(Format.Invariant($"| legitimate user ({flood.UserRate:0} requests/s, one session) | requests | p50 ms | p99 ms | max ms | not 200 |"))
          .AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (key, label) in new[] { ("before", "before the flood"), ("during", "during the flood"), ("after", "after the flood") })
        {
            if (flood.UserPhases.TryGetValue(key, out var phase))
            {
                md.AppendLine(Format.Invariant($"| {label} | {phase.Count:#,0} | {Format.Ms(phase.P50Ms)} | {Format.Ms(phase.P99Ms)} | {Format.Ms(phase.MaxMs)} | {phase.Failed:#,0} |"));
            }
        }

        md.AppendLine();
        if (flood.UserFirstError is { } error)
        {
            md.AppendLine(Format.Invariant($"- the legitimate user's first failure: `{error}`"));
        }

        if (flood.UserStartedLateMs is > 0)
        {
            md.AppendLine(Format.Invariant($"- the legitimate user started {flood.UserStartedLateMs:0} ms late (its client was not ready in time)"));
        }

        if (flood.UserFirstError is not null || flood.UserStartedLateMs is > 0)
        {
            md.AppendLine();
        }
    }

    private static void WriteSeries(StringBuilder md, FloodRun flood)
    {
        var series = flood.Series;
        if (series.Count == 0)
        {
            return;
        }

        var step = Math.Max(1, (int)Math.Ceiling(series.Count / (double)MaxRows));
        md.AppendLine(Format.Invariant($"Per {(step == 1 ? "second" : $"{step} seconds")} (*s*: seconds from the flood's start; `summary.json` → `flood.series` has every second): live sessions (lowest–highest reading), the highest VmRSS, and the flood's answers."))
          .AppendLine()
          .AppendLine("| s | live sessions | VmRSS MiB | 200 | 503 |")
          .AppendLine("|---:|---:|---:|---:|---:|");
        // Groups start at the flood's start, so no row mixes seconds before it with seconds of it.
        foreach (var chunk in series.GroupBy(s => (int)Math.Floor(s.T / (double)step)).Select(g => g.ToArray()))
        {
            var live = chunk.Select(s => s.Live).OfType<long>().ToList();
            var rss = chunk.Max(s => s.RssKb);
            var liveText = live.Count == 0 ? "—" : live.Min() == live.Max() ? Format.Invariant($"{live[0]:#,0}") : Format.Invariant($"{live.Min():#,0}–{live.Max():#,0}");
            var marker = chunk[0].T < 0 ? " (before)" : chunk[0].T >= flood.FloodSeconds ? " (after)" : "";
            md.AppendLine(Format.Invariant($"| {chunk[0].T}{marker} | {liveText} | {(rss is { } r ? (r / 1024.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "—")} | {chunk.Sum(s => s.Ok):#,0} | {chunk.Sum(s => s.Refused):#,0} |"));
        }

        md.AppendLine();
    }
}
