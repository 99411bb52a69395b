namespace Portico.Cors;

/// <summary>Set when the request's origin may read the response: the exact origin to echo.</summary>
internal sealed class CorsFeature(WebOrigin allowedOrigin)
{
    public WebOrigin AllowedOrigin { get; } = allowedOrigin;
}
