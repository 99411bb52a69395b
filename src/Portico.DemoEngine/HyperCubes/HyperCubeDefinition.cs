using System.Text.Json;
using Portico.DemoEngine.Apps;
using Portico.DemoEngine.JsonRpc;

namespace Portico.DemoEngine.HyperCubes;

/// <summary>A parsed <c>qHyperCubeDef</c>, validated against the table of the app it belongs to.</summary>
internal sealed record HyperCubeDefinition(
    IReadOnlyList<DimensionDefinition> Dimensions,
    IReadOnlyList<MeasureDefinition> Measures,
    IReadOnlyList<DataPageRequest> InitialDataFetch)
{
    public const string PropertyName = "qHyperCubeDef";

    /// <summary>The only path <c>GetHyperCubeData</c> accepts: the demo objects hold one hypercube, at the root.</summary>
    public const string Path = "/" + PropertyName;

    public static HyperCubeDefinition Parse(JsonElement definition, DataTable table)
    {
        if (definition.ValueKind != JsonValueKind.Object)
        {
            throw RpcException.InvalidParams(PropertyName);
        }

        return new HyperCubeDefinition(
            [.. Items(definition, "qDimensions").Select(d => DimensionDefinition.Parse(d, table))],
            [.. Items(definition, "qMeasures").Select(m => MeasureDefinition.Parse(m, table))],
            definition.TryGetProperty("qInitialDataFetch", out var fetch) && fetch.ValueKind != JsonValueKind.Null
                ? DataPageRequest.ParseList(fetch, "qInitialDataFetch")
                : []);
    }

    private static JsonElement[] Items(JsonElement definition, string property)
    {
        if (!definition.TryGetProperty(property, out var items) || items.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            throw RpcException.InvalidParams(property);
        }

        return [.. items.EnumerateArray()];
    }
}
