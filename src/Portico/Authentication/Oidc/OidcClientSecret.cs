using Portico.Configuration;

namespace Portico.Authentication.Oidc;

/// <summary>
/// Where an OIDC virtual proxy's client secret comes from: the JSON (oidcClientSecret), a file
/// (oidcClientSecretFile) or an environment variable (oidcClientSecretEnv), exactly one of them.
/// The secret itself never appears in an error, a log line or an audit event.
/// </summary>
internal static class OidcClientSecret
{
    /// <param name="resolvePath">Turns a configured path into a full one (relative to the config file's folder).</param>
    /// <param name="environment">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> in production.</param>
    /// <returns>The secret, or null with <paramref name="error"/> naming the field and the fix.</returns>
    public static string? Resolve(VirtualProxyConfig vp, Func<string, string> resolvePath, Func<string, string?> environment, out (string Field, string Message)? error)
    {
        error = null;
        var sources = (string.IsNullOrEmpty(vp.OidcClientSecret) ? 0 : 1)
            + (string.IsNullOrWhiteSpace(vp.OidcClientSecretFile) ? 0 : 1)
            + (string.IsNullOrWhiteSpace(vp.OidcClientSecretEnv) ? 0 : 1);
        if (sources != 1)
        {
            error = ("oidcClientSecret", sources == 0
                ? "OIDC needs the client secret: set exactly one of oidcClientSecret, oidcClientSecretFile (a file holding it) or oidcClientSecretEnv (an environment variable holding it)"
                : "is given more than once: set only one of oidcClientSecret, oidcClientSecretFile and oidcClientSecretEnv");
            return null;
        }

        if (!string.IsNullOrEmpty(vp.OidcClientSecret))
        {
            return vp.OidcClientSecret;
        }

        if (!string.IsNullOrWhiteSpace(vp.OidcClientSecretFile))
        {
            string path;
            try
            {
                path = resolvePath(vp.OidcClientSecretFile);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                error = ("oidcClientSecretFile", "is not a valid file path");
                return null;
            }

            string text;
            try
            {
                text = File.ReadAllText(path).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error = ("oidcClientSecretFile", $"file '{path}' cannot be read ({ex.GetType().Name}); point it at a file that holds the client secret");
                return null;
            }

            if (text.Length == 0)
            {
                error = ("oidcClientSecretFile", $"file '{path}' is empty; write the client secret into it");
                return null;
            }

            return text;
        }

        var value = environment(vp.OidcClientSecretEnv!);
        if (string.IsNullOrEmpty(value))
        {
            error = ("oidcClientSecretEnv", $"environment variable '{vp.OidcClientSecretEnv}' is not set or empty; set it to the client secret before starting Portico");
            return null;
        }

        return value;
    }
}
