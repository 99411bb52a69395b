using System.Text.Json;

namespace Portico.Http;

/// <summary>Checks on the strings of a parsed JSON document.</summary>
internal static class JsonStrings
{
    /// <summary>
    /// True when every member name and string value in <paramref name="element"/> decodes to valid
    /// UTF-16. JSON lets an escape encode an unpaired surrogate (<c>"\uD800"</c>), and a string may
    /// carry invalid UTF-8; reading either throws <see cref="InvalidOperationException"/>, which would
    /// otherwise surface wherever a name or value is first read. I-JSON (RFC 7493 §2.1) refuses both.
    /// </summary>
    public static bool AreValidUnicode(JsonElement element)
    {
        try
        {
            return Walk(element);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool Walk(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                return true;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    if (!Walk(property.Value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!Walk(item))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }
}
