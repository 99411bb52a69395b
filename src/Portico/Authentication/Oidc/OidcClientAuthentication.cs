namespace Portico.Authentication.Oidc;

/// <summary>How Portico authenticates to the token endpoint with its client secret.</summary>
internal enum OidcClientAuthentication
{
    Unsupported,
    Basic,
    Post,
}

internal static class OidcClientAuthenticationChoice
{
    /// <summary>
    /// client_secret_basic when the provider supports it or says nothing (Discovery §3: the
    /// default), else client_secret_post; any other method only is not supported.
    /// </summary>
    public static OidcClientAuthentication Choose(ICollection<string>? supported) =>
        supported is null || supported.Count == 0 || supported.Contains("client_secret_basic") ? OidcClientAuthentication.Basic
        : supported.Contains("client_secret_post") ? OidcClientAuthentication.Post
        : OidcClientAuthentication.Unsupported;
}
