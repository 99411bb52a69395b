using System.Globalization;
using Portico.Configuration;

namespace Portico.ResponseHeaders;

/// <summary>RFC 6797 Strict-Transport-Security: building the value from config and checking an admin-written one.</summary>
internal static class HstsHeader
{
    public const string Name = "Strict-Transport-Security";

    public static string? ValueFor(HstsConfig config)
    {
        if (!config.Enabled)
        {
            return null;
        }

        var value = "max-age=" + config.MaxAgeSeconds.ToString(CultureInfo.InvariantCulture);
        if (config.IncludeSubDomains)
        {
            value += "; includeSubDomains";
        }

        if (config.Preload)
        {
            value += "; preload";
        }

        return value;
    }

    /// <summary>The max-age of a value that <see cref="IsValidValue"/> accepts; null when there is none to read.</summary>
    public static long? MaxAgeSeconds(string value)
    {
        foreach (var part in value.Split(';'))
        {
            var directive = part.Trim();
            var eq = directive.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && directive[..eq].Trim().Equals("max-age", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(directive[(eq + 1)..].Trim().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return seconds;
            }
        }

        return null;
    }

    /// <summary>RFC 6797 section 6.1: directives separated by ';', exactly one max-age with a delta-seconds value.</summary>
    public static bool IsValidValue(string value)
    {
        var maxAgeCount = 0;
        foreach (var part in value.Split(';'))
        {
            var directive = part.Trim();
            if (directive.Length == 0)
            {
                continue;
            }

            var eq = directive.IndexOf('=', StringComparison.Ordinal);
            var name = (eq < 0 ? directive : directive[..eq]).Trim();
            if (!name.Equals("max-age", StringComparison.OrdinalIgnoreCase))
            {
                if (!Http.HttpToken.IsToken(name))
                {
                    return false;
                }

                continue;
            }

            maxAgeCount++;
            var seconds = eq < 0 ? "" : directive[(eq + 1)..].Trim().Trim('"');
            if (seconds.Length == 0 || !seconds.All(char.IsAsciiDigit))
            {
                return false;
            }
        }

        return maxAgeCount == 1;
    }
}
