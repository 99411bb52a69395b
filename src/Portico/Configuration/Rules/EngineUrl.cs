namespace Portico.Configuration.Rules;

internal static class EngineUrl
{
    /// <summary>An engine base URL: absolute http(s), with a host, and nothing a proxy would have to guess about.</summary>
    public static bool IsValid(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host)
        && string.IsNullOrEmpty(uri.UserInfo)
        && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment);
}
