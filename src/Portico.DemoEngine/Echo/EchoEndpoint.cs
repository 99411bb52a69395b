using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portico.DemoEngine.Observation;

namespace Portico.DemoEngine.Echo;

/// <summary>
/// <c>/portico-demo/echo</c> and everything below it: answers with what arrived, so proxy tests can
/// assert on forwarded paths, queries, headers and bodies without reaching into the engine. Any
/// method is answered, because proxies must forward them all.
/// </summary>
internal sealed class EchoEndpoint
{
    public const string PathPrefix = "/portico-demo/echo";

    /// <summary>Bodies are echoed up to this size; the echo is a probe, not a file store.</summary>
    private const int MaxEchoedBodyBytes = 64 * 1024;

    private readonly string _nodeName;

    public EchoEndpoint(string nodeName)
    {
        _nodeName = nodeName;
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;

        var body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        var headers = new JsonObject();
        foreach (var (name, value) in HeaderSnapshot.Capture(request.Headers).OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            headers[name] = value;
        }

        var echo = new JsonObject
        {
            ["nodeName"] = _nodeName,
            ["method"] = request.Method,
            ["path"] = request.PathBase.Add(request.Path).Value,
            ["query"] = request.QueryString.Value ?? string.Empty,
            ["rawTarget"] = context.Features.Get<IHttpRequestFeature>()?.RawTarget,
            ["headers"] = headers,
            ["bodyLength"] = body.Length,
            ["body"] = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxEchoedBodyBytes)),
        };

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(echo.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
