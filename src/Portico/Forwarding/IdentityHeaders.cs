using System.Net.Http.Headers;
using Portico.Authentication;

namespace Portico.Forwarding;

/// <summary>
/// The headers that tell the engine who the user is. The engine trusts them blindly, so a client's
/// own copy never reaches it (<see cref="EngineRequestHeaders"/> drops the whole X-Qlik- family).
/// </summary>
internal static class IdentityHeaders
{
    public const string User = "X-Qlik-User";
    public const string Security = "X-Qlik-Security";
    public const string ProxySession = "X-Qlik-ProxySession";

    /// <summary>Qlik's format; values are URL-encoded so a ';' or '=' in an id cannot forge another field.</summary>
    public static string FormatUser(AuthenticatedUser user) =>
        $"UserDirectory={Uri.EscapeDataString(user.UserDirectory)}; UserId={Uri.EscapeDataString(user.UserId)}";

    public static string FormatSecurity(bool secureRequest) =>
        secureRequest ? "SecureRequest=true; Context=AppAccess" : "SecureRequest=false; Context=AppAccess";
}
