using System.Text.Json;

namespace Portico.Bench.Report;

/// <summary>summary.json: per scenario and target the median, plus the goals with pass/fail.</summary>
internal static class SummaryJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static string Write(Results results, IReadOnlyList<Goal> goals, FloodRun? flood)
    {
        var run = results.Run;
        var summary = new Dictionary<string, object?>
        {
            ["date"] = run.MachineValue("date"),
            ["mode"] = run.MachineValue("mode"),
            ["rounds"] = run.MachineValue("rounds"),
            ["floorRounds"] = run.MachineValue("floorRounds"),
            ["commit"] = run.MachineValue("commit"),
            ["porticoBuild"] = run.MachineValue("porticoBuild"),
            ["cpuSplit"] = run.MachineValue("cpuSplit"),
            ["dotnetServers"] = run.MachineValue("dotnetServers"),
            ["scenarios"] = results.Scenarios.ToDictionary(s => s.Id, s => new Dictionary<string, object>
            {
                ["title"] = s.Title,
                ["unit"] = s.Unit,
                ["higherIsBetter"] = s.HigherIsBetter,
                ["median"] = results.In(s).ToDictionary(t => t.Target, t => Math.Round(s.Display(t.Median), 2)),
                ["cpuUsPerOp"] = results.In(s).Where(t => t.CpuUsPerOp is not null).ToDictionary(t => t.Target, t => Math.Round(t.CpuUsPerOp!.Value, 2)),
            }),
            ["sessions"] = results.Sessions.ToDictionary(
                m => m.Key,
                m => m.Value.Numbers.ToDictionary(n => n.Key, n => Math.Round(n.Value, 3))),
            ["goals"] = goals.Select(g => new Dictionary<string, object?>
            {
                ["id"] = g.Id,
                ["description"] = g.Description,
                ["scenario"] = g.Scenario,
                ["ratio"] = double.IsNaN(g.Ratio) ? null : Math.Round(g.Ratio, 3),
                ["comparison"] = g.AtLeast ? ">=" : "<=",
                ["threshold"] = g.Threshold,
                ["pass"] = g.Pass,
                ["cpuRatio"] = g.CpuRatio is { } c ? Math.Round(c, 3) : null,
                ["method"] = g.Method,
                ["interleavedRatio"] = g.InterleavedRatio is { } i ? Math.Round(i, 3) : null,
                ["kind"] = g.Kind == GoalKind.Count ? "count" : "ratio",
            }).ToList(),
            ["floorSideBySide"] = results.SideBySide.Values.ToDictionary(p => p.Scenario.Id, p => new Dictionary<string, object?>
            {
                ["throughputRatio"] = Math.Round(p.ThroughputRatio, 3),
                ["cpuRatio"] = p.CpuAdvantage is { } c ? Math.Round(c, 3) : null,
                ["rounds"] = p.Rounds.Select(r => new Dictionary<string, object?>
                {
                    ["round"] = r.Number,
                    ["porticoRate"] = r.Portico["rate"] is { } pr ? Math.Round(pr, 1) : null,
                    ["yarpRate"] = r.Yarp["rate"] is { } yr ? Math.Round(yr, 1) : null,
                    ["porticoCpuUsPerOp"] = r.Portico["cpuUsPerOp"],
                    ["yarpCpuUsPerOp"] = r.Yarp["cpuUsPerOp"],
                    ["startedLateMs"] = r.StartedLateMs,
                }).ToList(),
            }),
            ["flood"] = flood is null ? null : Flood(flood),
            ["goalsMet"] = goals.Count(g => g.Pass),
            ["goalsTotal"] = goals.Count,
        };
        return JsonSerializer.Serialize(summary, Options);
    }

    /// <summary>The anonymous flood's figures, and its time series by column (one entry per second).</summary>
    private static Dictionary<string, object?> Flood(FloodRun flood)
    {
        var halves = flood.CappedHalves;
        return new Dictionary<string, object?>
        {
            ["maxLiveSessions"] = flood.Cap,
            ["graceSeconds"] = flood.GraceSeconds,
            ["floodSeconds"] = flood.FloodSeconds,
            ["connections"] = flood.Connections,
            ["requests"] = flood.Requests,
            ["rate"] = Math.Round(flood.Rate, 1),
            ["statuses"] = flood.Statuses,
            ["socketErrors"] = flood.SocketErrors,
            ["peakLiveSessions"] = flood.PeakLive,
            ["capReachedAtSecond"] = flood.CapReachedAt,
            ["liveSessionsBefore"] = flood.LiveBefore,
            ["liveSessionsAtEnd"] = flood.LiveAtEnd,
            ["rssBeforeKb"] = flood.RssBeforeKb,
            ["rssAtCapKb"] = flood.RssAtCapKb,
            ["rssEndOfFloodKb"] = flood.RssEndKb,
            ["rssPeakKb"] = flood.RssPeakKb,
            ["rssLastKb"] = flood.RssLastKb,
            ["rssCappedFirstHalfPeakKb"] = halves?.FirstPeakKb,
            ["rssCappedSecondHalfPeakKb"] = halves?.SecondPeakKb,
            ["rssBeforeAfterGcKb"] = flood.RssBeforeGcKb,
            ["rssAfterAfterGcKb"] = flood.RssAfterGcKb,
            ["requestsAfterCap"] = flood.RequestsAfterCap,
            ["user"] = new Dictionary<string, object?>
            {
                ["rate"] = flood.UserRate,
                ["requests"] = flood.UserMeasured ? flood.UserCount : null,
                ["failed"] = flood.UserMeasured ? flood.UserFailed : null,
                ["firstError"] = flood.UserFirstError,
                ["phases"] = flood.UserPhases.ToDictionary(p => p.Key, p => new Dictionary<string, object>
                {
                    ["count"] = p.Value.Count,
                    ["p50Ms"] = p.Value.P50Ms,
                    ["p99Ms"] = p.Value.P99Ms,
                    ["maxMs"] = p.Value.MaxMs,
                    ["failed"] = p.Value.Failed,
                }),
            },
            ["series"] = new Dictionary<string, object?>
            {
                ["second"] = flood.Series.Select(s => s.T).ToList(),
                ["liveSessions"] = flood.Series.Select(s => s.Live).ToList(),
                ["rssKb"] = flood.Series.Select(s => s.RssKb).ToList(),
                ["answered200"] = flood.Series.Select(s => s.Ok).ToList(),
                ["answered503"] = flood.Series.Select(s => s.Refused).ToList(),
                ["answeredOther"] = flood.Series.Select(s => s.Other).ToList(),
            },
        };
    }
}
