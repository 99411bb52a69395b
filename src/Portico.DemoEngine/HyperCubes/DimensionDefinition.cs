using System.Text.Json;
using Portico.DemoEngine.Apps;
using Portico.DemoEngine.JsonRpc;
using Portico.DemoEngine.Qix;

namespace Portico.DemoEngine.HyperCubes;

/// <summary>A dimension of a hypercube: one field of the app's table.</summary>
internal sealed record DimensionDefinition(string FieldName, int FieldIndex, string Title)
{
    /// <summary>Reads <c>{"qDef":{"qFieldDefs":["Region"],"qFieldLabels":["..."]}}</c>.</summary>
    public static DimensionDefinition Parse(JsonElement dimension, DataTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (dimension.ValueKind != JsonValueKind.Object
            || !dimension.TryGetProperty("qDef", out var def)
            || def.ValueKind != JsonValueKind.Object
            || !def.TryGetProperty("qFieldDefs", out var fieldDefs)
            || fieldDefs.ValueKind != JsonValueKind.Array
            || fieldDefs.GetArrayLength() == 0
            || fieldDefs[0].ValueKind != JsonValueKind.String)
        {
            // Library dimensions (qLibraryId) land here too: the demo apps have no master items.
            throw RpcException.InvalidParams("qDimensions");
        }

        var fieldName = FieldReference.Unwrap(fieldDefs[0].GetString()!);
        if (fieldName.StartsWith('='))
        {
            throw new RpcException(QixErrorCodes.CalcInvalidDefinition, "Calculated dimensions are not supported", fieldName);
        }

        if (!table.TryGetFieldIndex(fieldName, out var index))
        {
            throw new RpcException(QixErrorCodes.CalcInvalidDefinition, "Field not found", fieldName);
        }

        var title = def.TryGetProperty("qFieldLabels", out var labels)
            && labels.ValueKind == JsonValueKind.Array
            && labels.GetArrayLength() > 0
            && labels[0].ValueKind == JsonValueKind.String
            && !string.IsNullOrEmpty(labels[0].GetString())
                ? labels[0].GetString()!
                : fieldName;

        return new DimensionDefinition(fieldName, index, title);
    }
}
