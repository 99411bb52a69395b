using System.Buffers;
using System.Globalization;
using System.Text;

namespace Portico.Logging;

/// <summary>
/// Renders values that came from a request (user directories, user ids) for a log message, so that
/// no value can end the line and begin a forged one, or hide or reorder text around it.
/// </summary>
internal static class LogValues
{
    /// <summary>
    /// <paramref name="value"/> with every character that is not plainly visible written as
    /// <c>\uXXXX</c> (one per UTF-16 unit): control and formatting characters (CR, LF, NUL, bidi
    /// overrides, zero-width spaces), line and paragraph separators, spaces other than U+0020,
    /// unpaired surrogates, private-use and unassigned code points. A backslash is doubled, so an
    /// escape in the output always means an escaped character. Returns the value itself when
    /// nothing needs escaping.
    /// </summary>
    public static string Escape(string? value)
    {
        if (value is null)
        {
            return "(null)";
        }

        var index = FirstToEscape(value);
        if (index < 0)
        {
            return value;
        }

        var escaped = new StringBuilder(value.Length + 16);
        escaped.Append(value, 0, index);
        var rest = value.AsSpan(index);
        while (!rest.IsEmpty)
        {
            var status = Rune.DecodeFromUtf16(rest, out var rune, out var consumed);
            if (status != OperationStatus.Done || NeedsEscape(rune))
            {
                foreach (var unit in rest[..consumed])
                {
                    escaped.Append("\\u").Append(((int)unit).ToString("X4", CultureInfo.InvariantCulture));
                }
            }
            else if (rune.Value == '\\')
            {
                escaped.Append(@"\\");
            }
            else
            {
                escaped.Append(rest[..consumed]);
            }

            rest = rest[consumed..];
        }

        return escaped.ToString();
    }

    private static int FirstToEscape(string value)
    {
        var rest = value.AsSpan();
        var index = 0;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done
                || rune.Value == '\\'
                || NeedsEscape(rune))
            {
                return index;
            }

            index += consumed;
            rest = rest[consumed..];
        }

        return -1;
    }

    private static bool NeedsEscape(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => true,
        UnicodeCategory.SpaceSeparator => rune.Value != ' ',
        _ => false,
    };
}
