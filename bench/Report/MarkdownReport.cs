using System.Text;

namespace Portico.Bench.Report;

/// <summary>report.md: what was run, the medians with their noise, the goals, the machine.</summary>
internal static class MarkdownReport
{
    public static string Write(Results results, IReadOnlyList<Goal> goals, FloodRun? flood)
    {
        var run = results.Run;
        var md = new StringBuilder();
        md.AppendLine("# Portico benchmark").AppendLine();
        if (run.IsQuick)
        {
            md.AppendLine("> **Quick mode**: one short round on a shared, noisy 2-core machine. These numbers check that the")
              .AppendLine("> harness works and give a rough picture; run `bench/run` (three interleaved rounds) before quoting any.")
              .AppendLine();
        }

        md.AppendLine(Format.Invariant($"{run.MachineValue("date")} · {run.MachineValue("mode")} mode · {run.MachineValue("rounds")} round(s) · commit {run.MachineValue("commit")} · Portico build: {run.MachineValue("porticoBuild")}"))
          .AppendLine()
          .AppendLine(Format.Invariant($"**CPU split:** {run.MachineValue("cpuSplit")}. A proxy and the backend it feeds share core 1; \"backend direct\" has core 1 to itself."))
          .AppendLine()
          .AppendLine(Format.Invariant($"**Durations:** {run.MachineValue("durations")}."))
          .AppendLine()
          .AppendLine(Format.Invariant($"**.NET servers** (backend, bare YARP, Portico alike): {run.MachineValue("dotnetServers")}."))
          .AppendLine()
          .AppendLine(Format.Invariant($"**Machine load:** {run.MachineValue("loadAverage")}. At the start nothing of the benchmark runs yet, so that figure is other programs; pinning keeps the targets apart from the load generator, not from other programs on the same cores."))
          .AppendLine();
        if (run.MachineValue("only") is { Length: > 0 } only && only != "?")
        {
            md.AppendLine(Format.Invariant($"**Only the {only}** ran (`bench/run --only {only}`): no other scenario, no comparison with the other targets.")).AppendLine();
        }

        WriteThroughput(md, results);
        WriteMemory(md, results);
        WriteSessions(md, results);
        if (flood is not null)
        {
            FloodReport.Write(md, flood);
        }

        WriteFloor(md, results);
        WriteGoals(md, goals);
        if (results.Scenarios.Count > 0)
        {
            md.AppendLine("## Advantage over nginx").AppendLine()
              .AppendLine("![Advantage over nginx per scenario](chart.svg)").AppendLine()
              .AppendLine("Bars: median of the target divided by nginx's median (for memory, nginx's bytes divided by the target's), so above 1 is better than nginx everywhere.")
              .AppendLine();
        }

        WriteMachine(md, run);
        return md.ToString();
    }

    private static void WriteThroughput(StringBuilder md, Results results)
    {
        if (!results.Scenarios.Any(s => s.HigherIsBetter))
        {
            return;
        }

        md.AppendLine("## Throughput and latency").AppendLine()
          .AppendLine("Medians over rounds; *range* is min–max across rounds (the noise). *vs nginx* and *vs direct* are advantages: above 1.00× is")
          .AppendLine("more throughput than nginx / than the backend alone. HTTPS and wss are TLS for every target; Portico has no plain-HTTP row")
          .AppendLine("because its HTTP listener only redirects to HTTPS.").AppendLine()
          .AppendLine("*CPU µs/op* is the CPU time (user + system) of the target's own processes per request, round trip or handshake —")
          .AppendLine("for a proxy without the backend's, which is the same behind every proxy. Echo counts the echo loops only (the opening of")
          .AppendLine("the sockets is what the handshake rows measure), handshakes their loops only (each loop's login comes before). Other programs change how long a run takes far more than what each operation costs, so on a")
          .AppendLine("shared machine it is the steadier comparison.").AppendLine()
          .AppendLine("| scenario | target | median | range | p50 ms | p99 ms | CPU µs/op | vs nginx | vs direct | errors |")
          .AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var scenario in results.Scenarios.Where(s => s.HigherIsBetter))
        {
            foreach (var stats in results.In(scenario))
            {
                var target = stats.Target == Targets.Portico ? "**Portico**" : Targets.Label(stats.Target);
                md.AppendLine(Format.Invariant(
                    $"| {scenario.Title} ({scenario.Unit}) | {target} | {Format.Number(stats.Median)} | {Format.Number(stats.Min)}–{Format.Number(stats.Max)} | {Format.Ms(stats.P50Ms)} | {Format.Ms(stats.P99Ms)} | {Format.Ms(stats.CpuUsPerOp)} | {Format.Ratio(results.Advantage(scenario, stats.Target, Targets.Nginx))} | {Format.Ratio(results.Advantage(scenario, stats.Target, Targets.Direct))} | {stats.Errors} |"));
            }
        }

        md.AppendLine();
        var firstErrors = results.Scenarios.SelectMany(results.In).Where(s => s.FirstError is not null).ToList();
        foreach (var stats in firstErrors)
        {
            md.AppendLine(Format.Invariant($"- errors in {stats.Scenario.Id} / {Targets.Label(stats.Target)}: first was `{stats.FirstError}`"));
        }

        if (firstErrors.Count > 0)
        {
            md.AppendLine();
        }
    }

    private static void WriteMemory(StringBuilder md, Results results)
    {
        foreach (var scenario in results.Scenarios.Where(s => s.Kind == ScenarioKind.IdleMemory))
        {
            md.AppendLine(Format.Invariant($"## Idle WebSockets: memory per socket ({scenario.Size:#,0} held)")).AppendLine()
              .AppendLine("(VmRSS with the sockets open − VmRSS before) / sockets, over the proxy's processes (nginx: master and worker), each proxy freshly")
              .AppendLine("restarted (and a .NET one warmed up) for the measurement. Then every")
              .AppendLine("socket must still echo. For Portico each socket belongs to its own browser session (one anonymous login per socket),")
              .AppendLine("so its figure includes a session — about 1 KB, see the session scale below; the logins' keep-alive connections are closed")
              .AppendLine("before the sockets open. The .NET targets run a full garbage collection before every reading, so the figure is what they keep")
              .AppendLine("alive rather than what their GC has not yet returned.").AppendLine()
              .AppendLine("| target | KiB per socket | range | sockets opened / still echoing | vs nginx |")
              .AppendLine("|---|---:|---:|---:|---:|");
            foreach (var stats in results.In(scenario))
            {
                var opened = stats.Rounds.Min(r => r["opened"] ?? 0);
                var echoing = stats.Rounds.Min(r => r["count"] ?? 0);
                md.AppendLine(Format.Invariant(
                    $"| {Targets.Label(stats.Target)} | {Format.Number(scenario.Display(stats.Median))} | {Format.Number(scenario.Display(stats.Min))}–{Format.Number(scenario.Display(stats.Max))} | {opened:#,0} / {echoing:#,0} | {Format.Ratio(results.Advantage(scenario, stats.Target, Targets.Nginx))} |"));
            }

            md.AppendLine();
        }
    }

    private static void WriteSessions(StringBuilder md, Results results)
    {
        if (!results.Sessions.TryGetValue("sessions-fill", out var fill))
        {
            return;
        }

        md.AppendLine("## Session scale (Portico)").AppendLine()
          .AppendLine("Measured over HTTP, as deployed, on a freshly started and warmed Portico (with a 4 MiB gen0 budget, so that RSS follows")
          .AppendLine("live data rather than the GC's headroom): `SessionScale` logs in anonymously once per session")
          .AppendLine("(`GET /bench/qps/user` without a cookie, 16 in parallel, keep-alive), keeps each session cookie and reads Portico's VmRSS")
          .AppendLine("as the store grows. wrk then sends `GET /bench/qps/user` — answered by Portico itself, no engine involved — with a different live")
          .AppendLine("session cookie on every request, in rotation over all of them; the baseline is the same request with one cookie,")
          .AppendLine("measured before the store was filled.").AppendLine();
        double N(Measurement m, string key) => m[key] ?? double.NaN;
        md.AppendLine(Format.Invariant($"- sessions created: **{N(fill, "created"):#,0}** of {N(fill, "requested"):#,0} in {N(fill, "seconds"):0.0} s ({Format.Number(N(fill, "rate"))} logins/s; first tenth {Format.Number(N(fill, "rateFirstTenth"))}/s, last tenth {Format.Number(N(fill, "rateLastTenth"))}/s); failed: {N(fill, "failed"):0}"))
          .AppendLine(Format.Invariant($"- memory: **{Format.Number(N(fill, "bytesPerSession"))} bytes per session**, the slope of Portico's VmRSS over the session count (sampled at every tenth, from the second on); the plain difference {N(fill, "rssBeforeKb") / 1024:0} MiB → {N(fill, "rssAfterKb") / 1024:0} MiB gives {Format.Number(N(fill, "bytesPerSessionBeforeAfter"))} bytes per session, start-up and GC headroom included"));
        if (results.Sessions.TryGetValue("sessions-lookup-baseline", out var baseline) && results.Sessions.TryGetValue("sessions-lookup", out var lookup))
        {
            var ratio = N(lookup, "rate") / N(baseline, "rate");
            md.AppendLine(Format.Invariant($"- lookups: **{Format.Number(N(lookup, "rate"))}/s** (p50 {Format.Ms(lookup["p50Ms"])} ms, p99 {Format.Ms(lookup["p99Ms"])} ms) rotating over {N(fill, "created"):#,0} sessions, against {Format.Number(N(baseline, "rate"))}/s (p99 {Format.Ms(baseline["p99Ms"])} ms) with one session: {Format.Ratio(ratio)}; errors {N(lookup, "errors"):0}"));
        }

        md.AppendLine();
    }

    private static void WriteFloor(StringBuilder md, Results results)
    {
        if (results.SideBySide.Count == 0)
        {
            return;
        }

        md.AppendLine("## The floor, side by side (Portico and bare YARP loaded together)").AppendLine()
          .AppendLine("Interleaved runs of one target are seconds to minutes apart, and on this shared machine such runs of the same build")
          .AppendLine("differ by more than the 10% the floor allows. So the floor is also run with both proxies loaded at the same time, each")
          .AppendLine("by its own load generator on the load core, sharing the server core: whatever else the machine does hits both alike.")
          .AppendLine("Each proxy gets about half the core, so absolute figures are lower and CPU per operation higher than above; the")
          .AppendLine("per-round ratio is what counts. WebSocket clients open their sockets first and start their measured loops at the same")
          .AppendLine("moment.").AppendLine()
          .AppendLine("| scenario | Portico / bare YARP (median of rounds) | range | on CPU per op | interleaved medians | rounds | late start |")
          .AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var pair in results.SideBySide.Values.OrderBy(p => p.Scenario.Kind).ThenBy(p => p.Scenario.Size))
        {
            var ratios = pair.ThroughputRatios;
            var interleaved = results.Get(pair.Scenario, Targets.Portico) is { } p && results.Get(pair.Scenario, Targets.Yarp) is { } y && y.Median > 0 ? p.Median / y.Median : (double?)null;
            md.AppendLine(Format.Invariant(
                $"| {pair.Scenario.Title} | {Format.Ratio(pair.ThroughputRatio)} | {Format.Ratio(ratios.Min())}–{Format.Ratio(ratios.Max())} | {Format.Ratio(pair.CpuAdvantage)} | {Format.Ratio(interleaved)} | {ratios.Count} | {(pair.MaxStartedLateMs > 0 ? Format.Invariant($"{pair.MaxStartedLateMs:0} ms") : "—")} |"));
        }

        md.AppendLine();
    }

    private static void WriteGoals(StringBuilder md, IReadOnlyList<Goal> goals)
    {
        md.AppendLine("## Goals").AppendLine()
          .AppendLine("Against a reference target, *value* is Portico / reference: medians (throughput, or bytes per socket), except for the")
          .AppendLine("floor's throughput goals where they were measured side by side (see above): there it is the median of the per-round ratios.")
          .AppendLine("*On CPU per op* makes the same comparison on CPU time per operation (reference's / Portico's, so it reads the same way);")
          .AppendLine("it is not a goal, but where it disagrees with the throughput ratio, the machine's noise decided the verdict. The anonymous")
          .AppendLine("flood's goals are Portico's alone: their value is a count or a ratio of two of its own readings (see that section).").AppendLine()
          .AppendLine("| goal | scenario | value | measured | threshold | result | on CPU per op |")
          .AppendLine("|---|---|---:|---|---:|---|---:|");
        foreach (var goal in goals)
        {
            var method = goal.InterleavedRatio is { } i ? Format.Invariant($"{goal.Method} (interleaved medians: {i:0.00})") : goal.Method;
            md.AppendLine(Format.Invariant($"| {goal.Description} | {goal.Scenario} | {goal.ShownValue} | {method} | {(goal.AtLeast ? "≥" : "≤")} {goal.ShownThreshold} | {(goal.Pass ? "pass" : "**fail**")} | {(goal.CpuRatio is { } c ? c.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "—")} |"));
        }

        md.AppendLine().AppendLine(Format.Invariant($"{goals.Count(g => g.Pass)} of {goals.Count} goals met.")).AppendLine();
    }

    private static void WriteMachine(StringBuilder md, RunData run)
    {
        md.AppendLine("## Machine").AppendLine();
        foreach (var (key, label) in new[]
        {
            ("cpu", "CPU"), ("cores", "cores"), ("memory", "memory"), ("os", "OS"), ("kernel", "kernel"), ("dotnet", ".NET SDK"),
            ("nginx", "nginx"), ("haproxy", "HAProxy"), ("wrk", "wrk"), ("openssl", "OpenSSL"),
        })
        {
            md.AppendLine(Format.Invariant($"- {label}: {run.MachineValue(key)}"));
        }

        md.AppendLine();
    }
}
