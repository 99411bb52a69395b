using System.Text.Json;

namespace Portico.DemoEngine.JsonRpc;

/// <summary>
/// The <c>params</c> of a request. QIX clients send them positionally (enigma.js always does),
/// hand-written clients often by name; every lookup therefore takes both the position and the name.
/// </summary>
internal readonly struct RpcParams
{
    private readonly JsonElement _params;

    public RpcParams(JsonElement parameters)
    {
        _params = parameters;
    }

    public static RpcParams None => default;

    /// <summary>The argument, or <c>null</c> when it was not sent (a JSON <c>null</c> counts as not sent).</summary>
    public JsonElement? Find(int position, string name)
    {
        JsonElement value;
        switch (_params.ValueKind)
        {
            case JsonValueKind.Array when position < _params.GetArrayLength():
                value = _params[position];
                break;
            case JsonValueKind.Object when _params.TryGetProperty(name, out var named):
                value = named;
                break;
            default:
                return null;
        }

        return value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : value;
    }

    public string GetRequiredString(int position, string name)
    {
        var value = Find(position, name);
        if (value is not { ValueKind: JsonValueKind.String } text)
        {
            throw RpcException.InvalidParams(name);
        }

        return text.GetString()!;
    }

    public JsonElement GetRequiredObject(int position, string name)
    {
        var value = Find(position, name);
        if (value is not { ValueKind: JsonValueKind.Object } obj)
        {
            throw RpcException.InvalidParams(name);
        }

        return obj;
    }

    public JsonElement GetRequiredArray(int position, string name)
    {
        var value = Find(position, name);
        if (value is not { ValueKind: JsonValueKind.Array } array)
        {
            throw RpcException.InvalidParams(name);
        }

        return array;
    }
}
