namespace Portico.DemoEngine.JsonRpc;

/// <summary>
/// A request that must be answered with a JSON-RPC error object. Handlers throw it instead of
/// threading error results through every call, because every error ends the call the same way:
/// one error response, and the connection carries on.
/// </summary>
internal sealed class RpcException : Exception
{
    public RpcException(int code, string message, string? parameter = null)
        : base(message)
    {
        Code = code;
        Parameter = parameter;
    }

    public int Code { get; }

    /// <summary>Qlik puts the offending method, handle or argument here; clients show it next to the message.</summary>
    public string? Parameter { get; }

    public static RpcException MethodNotFound(string method) =>
        new(RpcErrorCodes.MethodNotFound, "Method not found", method);

    public static RpcException InvalidParams(string parameter) =>
        new(RpcErrorCodes.InvalidParams, "Invalid Params", parameter);

    public static RpcException InvalidHandle(int handle) =>
        new(RpcErrorCodes.InvalidParams, "Invalid handle", handle.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
