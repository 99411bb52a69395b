using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portico.Http;

/// <summary>Portico's own answers (refusals and errors): a status code and a JSON body that says why.</summary>
internal static class PorticoResponse
{
    /// <param name="code">A stable machine-readable code clients may act on (see docs/security.md), when there is one.</param>
    public static Task WriteErrorAsync(HttpContext context, int statusCode, string error, string message, string? code = null)
    {
        context.Response.StatusCode = statusCode;
        context.Response.Headers.CacheControl = "no-store";

        // A refused request leaves no login behind, even if an earlier step queued a session cookie.
        if (statusCode >= 400)
        {
            context.Response.Headers.Remove("Set-Cookie");
        }
        return context.Response.WriteAsJsonAsync(new ErrorBody(error, message, code), PorticoJsonContext.Default.ErrorBody, contentType: "application/json; charset=utf-8");
    }
}

internal sealed record ErrorBody(string Error, string Message, string? Code);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class PorticoJsonContext : JsonSerializerContext;
