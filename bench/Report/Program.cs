using Portico.Bench.Report;

// Report --run RUN_DIRECTORY --out RESULTS_DIRECTORY
if (args is not ["--run", var runDirectory, "--out", var outDirectory])
{
    Console.Error.WriteLine("Usage: Report --run RUN_DIRECTORY --out RESULTS_DIRECTORY");
    return 2;
}

var results = new Results(RunData.Load(runDirectory));
var flood = FloodRun.Load(runDirectory);
if (results.Scenarios.Count == 0 && results.SideBySide.Count == 0 && results.Sessions.Count == 0 && flood is null)
{
    Console.Error.WriteLine($"Report: {runDirectory} holds no measurements");
    return 1;
}

var goals = Goal.Evaluate(results).Concat(flood?.Goals() ?? []).ToList();
Directory.CreateDirectory(outDirectory);
File.WriteAllText(Path.Combine(outDirectory, "report.md"), MarkdownReport.Write(results, goals, flood));
File.WriteAllText(Path.Combine(outDirectory, "summary.json"), SummaryJson.Write(results, goals, flood));
var written = "report.md and summary.json";
if (results.Scenarios.Count > 0)
{
    File.WriteAllText(Path.Combine(outDirectory, "chart.svg"), RatioChart.Write(results));
    written = "report.md, summary.json and chart.svg";
}

Console.WriteLine($"Report: wrote {written} to {outDirectory} ({goals.Count(g => g.Pass)} of {goals.Count} goals met)");
return 0;
