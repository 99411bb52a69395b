namespace Portico.Cors;

/// <summary>The request's Origin as classified once in step 3, for the CORS and CSRF decisions.</summary>
internal sealed class RequestOriginFeature(OriginCheck check, WebOrigin? origin)
{
    public OriginCheck Check { get; } = check;

    public WebOrigin? Origin { get; } = origin;
}
