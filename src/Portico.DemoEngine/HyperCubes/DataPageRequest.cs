using System.Text.Json;
using Portico.DemoEngine.JsonRpc;

namespace Portico.DemoEngine.HyperCubes;

/// <summary>A rectangle of the hypercube a client asks for (<c>qLeft</c>, <c>qTop</c>, <c>qWidth</c>, <c>qHeight</c>).</summary>
internal readonly record struct DataPageRequest(int Left, int Top, int Width, int Height)
{
    /// <summary>The engine refuses pages above 10,000 cells, as Qlik's does.</summary>
    public const int MaxCells = 10_000;

    public static DataPageRequest Parse(JsonElement page, string parameterName)
    {
        if (page.ValueKind != JsonValueKind.Object)
        {
            throw RpcException.InvalidParams(parameterName);
        }

        return new DataPageRequest(
            Read(page, "qLeft", parameterName),
            Read(page, "qTop", parameterName),
            Read(page, "qWidth", parameterName),
            Read(page, "qHeight", parameterName));
    }

    public static IReadOnlyList<DataPageRequest> ParseList(JsonElement pages, string parameterName)
    {
        if (pages.ValueKind != JsonValueKind.Array)
        {
            throw RpcException.InvalidParams(parameterName);
        }

        return [.. pages.EnumerateArray().Select(page => Parse(page, parameterName))];
    }

    private static int Read(JsonElement page, string property, string parameterName)
    {
        if (!page.TryGetProperty(property, out var value))
        {
            return 0;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < 0)
        {
            throw RpcException.InvalidParams(parameterName);
        }

        return number;
    }
}
