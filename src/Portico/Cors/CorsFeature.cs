namespace Portico.Cors;

/// <summary>Set when the request's origin may read the response: the exact origin to echo.</summary>
internal sealed class CorsFeature(WebOrigin allowedOrigin)
{
    public WebOrigin AllowedOrigin { get; } = allowedOrigin;

    /// <summary>The Access-Control-Allow-Origin value: the origin serialized as browsers send it.</summary>
    public string AllowOriginValue { get; } = allowedOrigin.ToString();
}
