using System.Text.Json;
using System.Text.RegularExpressions;
using Portico.DemoEngine.Apps;
using Portico.DemoEngine.JsonRpc;
using Portico.DemoEngine.Qix;

namespace Portico.DemoEngine.HyperCubes;

/// <summary>
/// A measure of a hypercube. Only single-field aggregations are understood
/// (<c>Sum(Sales)</c>, <c>Count(DISTINCT Country)</c>, <c>Avg([Downtime])</c>, ...): enough to
/// prove that real numbers flow end to end without writing an expression engine.
/// </summary>
internal sealed partial record MeasureDefinition(string Title, Aggregation Function, bool Distinct, string FieldName, int FieldIndex)
{
    /// <summary>Reads <c>{"qDef":{"qDef":"Sum(Sales)","qLabel":"..."}}</c>.</summary>
    public static MeasureDefinition Parse(JsonElement measure, DataTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (measure.ValueKind != JsonValueKind.Object
            || !measure.TryGetProperty("qDef", out var def)
            || def.ValueKind != JsonValueKind.Object
            || !def.TryGetProperty("qDef", out var expressionElement)
            || expressionElement.ValueKind != JsonValueKind.String)
        {
            throw RpcException.InvalidParams("qMeasures");
        }

        var expression = expressionElement.GetString()!;
        var label = def.TryGetProperty("qLabel", out var labelElement) && labelElement.ValueKind == JsonValueKind.String
            ? labelElement.GetString()
            : null;
        return Parse(expression, label, table);
    }

    public static MeasureDefinition Parse(string expression, string? label, DataTable table)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(table);

        var match = AggregationPattern().Match(expression);
        if (!match.Success || !Enum.TryParse<Aggregation>(match.Groups["function"].Value, ignoreCase: true, out var function))
        {
            throw new RpcException(QixErrorCodes.CalcInvalidDefinition, "Unsupported measure expression", expression);
        }

        var fieldName = FieldReference.Unwrap(match.Groups["field"].Value);
        if (!table.TryGetFieldIndex(fieldName, out var index))
        {
            throw new RpcException(QixErrorCodes.CalcInvalidDefinition, "Field not found", fieldName);
        }

        var title = string.IsNullOrEmpty(label) ? expression.Trim().TrimStart('=').Trim() : label;
        return new MeasureDefinition(title, function, match.Groups["distinct"].Success, fieldName, index);
    }

    [GeneratedRegex(
        @"^\s*=?\s*(?<function>[A-Za-z]+)\s*\(\s*(?<distinct>DISTINCT\s+)?(?<field>\[[^\]]+\]|[^\s()\[\]][^()\[\]]*?)\s*\)\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture,
        matchTimeoutMilliseconds: 1000)]
    private static partial Regex AggregationPattern();
}
