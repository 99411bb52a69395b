using System.Text;
using Portico.Authentication;

namespace Portico.Forwarding;

/// <summary>
/// The headers that tell the engine who the user is and which proxy sends it. The engine trusts
/// them blindly, so a client's own copy never reaches it (<see cref="EngineRequestHeaders"/> drops
/// the whole X-Qlik- family).
/// </summary>
internal static class IdentityHeaders
{
    public const string User = "X-Qlik-User";
    public const string Security = "X-Qlik-Security";
    public const string ProxySession = "X-Qlik-ProxySession";
    public const string ProxyId = "X-Qlik-ProxyId";
    public const string VirtualProxyPrefix = "X-Qlik-Virtual-Proxy-Prefix";
    public const string Authorization = "Authorization";

    public const string SecureBase = "SecureRequest=true; Context=AppAccess;";
    public const string PlainBase = "SecureRequest=false; Context=AppAccess;";

    /// <summary>Qlik's format; values are URL-encoded so a ';' or '=' in an id cannot forge another field.</summary>
    public static string FormatUser(AuthenticatedUser user) =>
        $"UserDirectory={Uri.EscapeDataString(user.UserDirectory)}; UserId={Uri.EscapeDataString(user.UserId)}";

    /// <summary>
    /// Qlik's <c>SecureRequest=…; Context=AppAccess;</c> followed by the user's attributes as
    /// <c>name=value;</c>. Names and values are URL-encoded (RFC 3986 unreserved characters stay),
    /// as in X-Qlik-User, so an attribute cannot end early and forge another, nor a line.
    /// </summary>
    public static string FormatSecurity(bool secureRequest, IReadOnlyList<KeyValuePair<string, string>> attributes)
    {
        var start = secureRequest ? SecureBase : PlainBase;
        if (attributes.Count == 0)
        {
            return start;
        }

        var value = new StringBuilder(start);
        foreach (var (name, attributeValue) in attributes)
        {
            value.Append(' ').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(attributeValue)).Append(';');
        }

        return value.ToString();
    }

    /// <summary><c>ProxyId=&lt;guid&gt;; Prefix=&lt;prefix&gt;</c> (a prefix holds only a-z 0-9 - . _ ~, nothing to encode).</summary>
    public static string FormatProxyId(Guid proxyId, string prefix) => $"ProxyId={proxyId:D}; Prefix={prefix}";
}
