using System.Globalization;
using System.Net;
using System.Text;

namespace Portico.Bench.Report;

/// <summary>
/// chart.svg: for each scenario, one bar per target = its advantage over nginx (nginx is the line
/// at 1). Hand-written SVG so the report needs nothing but .NET.
/// </summary>
internal static class RatioChart
{
    private const int BarWidth = 22;
    private const int GroupGap = 26;
    private const int Left = 56;
    private const int Top = 64;
    private const int PlotHeight = 300;
    private const int Bottom = 48;

    public static string Write(Results results)
    {
        var targets = Targets.Order.Where(t => t != Targets.Nginx).ToList();
        var groups = results.Scenarios
            .Where(s => results.Get(s, Targets.Nginx) is not null)
            .Select(s => (Scenario: s, Bars: targets.Select(t => (Target: t, Value: results.Advantage(s, t, Targets.Nginx))).Where(b => b.Value is not null).ToList()))
            .Where(g => g.Bars.Count > 0)
            .ToList();
        var top = Math.Max(1.5, Math.Ceiling(groups.SelectMany(g => g.Bars).Select(b => b.Value!.Value).DefaultIfEmpty(1).Max() * 2) / 2);
        var width = Left + groups.Sum(g => g.Bars.Count * BarWidth + GroupGap) + 20;
        var height = Top + PlotHeight + Bottom;
        double Y(double value) => Top + PlotHeight - value / top * PlotHeight;

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"20\" font-size=\"14\" font-weight=\"bold\">Advantage over nginx (median; above 1 = better than nginx; memory: nginx bytes ÷ target bytes)</text>\n"));
        var legendX = Left;
        foreach (var target in targets)
        {
            svg.Append(Invariant($"<rect x=\"{legendX}\" y=\"32\" width=\"12\" height=\"12\" fill=\"{Targets.Colour(target)}\"/><text x=\"{legendX + 16}\" y=\"42\">{Targets.Label(target)}</text>\n"));
            legendX += 120;
        }

        svg.Append(Invariant($"<line x1=\"{legendX}\" x2=\"{legendX + 24}\" y1=\"38\" y2=\"38\" stroke=\"#455a64\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/><text x=\"{legendX + 30}\" y=\"42\">nginx = 1</text>\n"));

        for (var tick = 0.0; tick <= top + 1e-9; tick += 0.5)
        {
            svg.Append(Invariant($"<line x1=\"{Left}\" x2=\"{width - 20}\" y1=\"{Y(tick):0.0}\" y2=\"{Y(tick):0.0}\" stroke=\"#e0e0e0\"/><text x=\"{Left - 6}\" y=\"{Y(tick) + 4:0.0}\" text-anchor=\"end\">{tick:0.0}</text>\n"));
        }

        var x = Left + GroupGap / 2;
        foreach (var (scenario, bars) in groups)
        {
            foreach (var (target, value) in bars)
            {
                var v = value!.Value;
                svg.Append(Invariant($"<rect x=\"{x}\" y=\"{Y(v):0.0}\" width=\"{BarWidth - 3}\" height=\"{Y(0) - Y(v):0.0}\" fill=\"{Targets.Colour(target)}\"><title>{WebUtility.HtmlEncode(Targets.Label(target))}: {v:0.00}</title></rect>\n"));
                svg.Append(Invariant($"<text x=\"{x + (BarWidth - 3) / 2.0:0.0}\" y=\"{Y(v) - 3:0.0}\" text-anchor=\"middle\" font-size=\"8\">{v:0.00}</text>\n"));
                x += BarWidth;
            }

            svg.Append(Invariant($"<text x=\"{x - bars.Count * BarWidth / 2.0:0.0}\" y=\"{Top + PlotHeight + 16}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(scenario.ShortTitle)}</text>\n"));
            x += GroupGap;
        }

        svg.Append(Invariant($"<line x1=\"{Left}\" x2=\"{width - 20}\" y1=\"{Y(1):0.0}\" y2=\"{Y(1):0.0}\" stroke=\"#455a64\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"{height - 10}\" fill=\"#757575\">{WebUtility.HtmlEncode(results.Run.MachineValue("date"))} · {WebUtility.HtmlEncode(results.Run.MachineValue("mode"))} mode · {WebUtility.HtmlEncode(results.Run.MachineValue("rounds"))} round(s)</text>\n"));
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
