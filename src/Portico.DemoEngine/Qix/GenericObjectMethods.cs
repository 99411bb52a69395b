using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Portico.DemoEngine.HyperCubes;
using Portico.DemoEngine.JsonRpc;

namespace Portico.DemoEngine.Qix;

/// <summary>Methods on a GenericObject handle.</summary>
internal static class GenericObjectMethods
{
    public static FrozenDictionary<string, Func<QixCall, SessionObject, JsonObject>> Table { get; } =
        new Dictionary<string, Func<QixCall, SessionObject, JsonObject>>
        {
            ["GetLayout"] = (_, target) => GetLayout(target),
            ["GetProperties"] = (_, target) => new JsonObject { ["qProp"] = target.Properties.DeepClone() },
            ["GetInfo"] = (_, target) => new JsonObject { ["qInfo"] = target.Properties["qInfo"]?.DeepClone() },
            ["GetHyperCubeData"] = GetHyperCubeData,
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The layout is the properties with the hypercube definition replaced by the computed hypercube;
    /// other properties are echoed, which is how Qlik treats properties it does not evaluate.
    /// </summary>
    private static JsonObject GetLayout(SessionObject target)
    {
        var layout = target.Properties.DeepClone().AsObject();
        layout.Remove(HyperCubeDefinition.PropertyName);
        if (target.HyperCube is { } definition)
        {
            var cube = HyperCubeCalculator.Calculate(definition, target.Document.App.Table);
            layout["qHyperCube"] = HyperCubeJson.Layout(cube, definition.InitialDataFetch);
        }

        layout["qSelectionInfo"] = new JsonObject { ["qInSelections"] = false, ["qMadeSelections"] = false };
        return new JsonObject { ["qLayout"] = layout };
    }

    private static JsonObject GetHyperCubeData(QixCall call, SessionObject target)
    {
        var path = call.Params.GetRequiredString(0, "qPath");
        if (path != HyperCubeDefinition.Path || target.HyperCube is not { } definition)
        {
            throw RpcException.InvalidParams("qPath");
        }

        var pages = DataPageRequest.ParseList(call.Params.GetRequiredArray(1, "qPages"), "qPages");
        var cube = HyperCubeCalculator.Calculate(definition, target.Document.App.Table);
        return new JsonObject { ["qDataPages"] = new JsonArray([.. pages.Select(page => HyperCubeJson.Page(cube, page))]) };
    }
}
