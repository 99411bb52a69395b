using Portico.Bench.Report;

// Report --run RUN_DIRECTORY --out RESULTS_DIRECTORY
if (args is not ["--run", var runDirectory, "--out", var outDirectory])
{
    Console.Error.WriteLine("Usage: Report --run RUN_DIRECTORY --out RESULTS_DIRECTORY");
    return 2;
}

var results = new Results(RunData.Load(runDirectory));
if (results.Scenarios.Count == 0)
{
    Console.Error.WriteLine($"Report: {runDirectory} holds no measurements");
    return 1;
}

var goals = Goal.Evaluate(results);
Directory.CreateDirectory(outDirectory);
File.WriteAllText(Path.Combine(outDirectory, "report.md"), MarkdownReport.Write(results, goals));
File.WriteAllText(Path.Combine(outDirectory, "summary.json"), SummaryJson.Write(results, goals));
File.WriteAllText(Path.Combine(outDirectory, "chart.svg"), RatioChart.Write(results));
Console.WriteLine($"Report: wrote report.md, summary.json and chart.svg to {outDirectory} ({goals.Count(g => g.Pass)} of {goals.Count} goals met)");
return 0;
