namespace Portico.DemoEngine.JsonRpc;

/// <summary>The JSON-RPC 2.0 error codes the engine answers with; Qlik-specific codes live in <c>QixErrorCodes</c>.</summary>
internal static class RpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
}
