using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portico.Admin;

/// <summary>
/// QRS's <c>filter</c> parameter for the common cases: <c>field op value</c> joined with
/// <c>and</c>/<c>or</c>, <c>not</c>, and parentheses. Operators: eq, ne, gt, ge, lt, le, so
/// (substring of), sw (starts with), ew (ends with). Strings in single quotes ('' is a quote) and
/// compared without regard to case, as QRS does; numbers, true, false, null and bare GUIDs as values.
/// </summary>
internal sealed class QrsFilter
{
    public const int MaxLength = 2000;
    private const int MaxDepth = 16;

    private readonly Func<JsonObject, bool> _predicate;

    private QrsFilter(Func<JsonObject, bool> predicate) => _predicate = predicate;

    public static QrsFilter All { get; } = new(_ => true);

    public bool Matches(JsonObject entity) => _predicate(entity);

    /// <returns>Null with <paramref name="error"/> set when the filter cannot be read.</returns>
    public static QrsFilter? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
        }

        if (text.Length > MaxLength)
        {
            error = $"the filter is longer than {MaxLength} characters";
            return null;
        }

        try
        {
            var parser = new Parser(text);
            var predicate = parser.Expression(0);
            parser.ExpectEnd();
            return new QrsFilter(predicate);
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    private sealed class Parser(string text)
    {
        private int _position;

        public Func<JsonObject, bool> Expression(int depth)
        {
            if (depth > MaxDepth)
            {
                throw new FormatException($"the filter nests more than {MaxDepth} levels of parentheses");
            }

            var left = Term(depth);
            while (TryKeyword("or"))
            {
                var l = left;
                var r = Term(depth);
                left = e => l(e) || r(e);
            }

            return left;
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_position < text.Length)
            {
                throw new FormatException($"unexpected \"{text[_position..]}\" at position {_position + 1} of the filter");
            }
        }

        private Func<JsonObject, bool> Term(int depth)
        {
            var left = Factor(depth);
            while (TryKeyword("and"))
            {
                var l = left;
                var r = Factor(depth);
                left = e => l(e) && r(e);
            }

            return left;
        }

        private Func<JsonObject, bool> Factor(int depth)
        {
            if (TryKeyword("not"))
            {
                var inner = Factor(depth + 1);
                return e => !inner(e);
            }

            SkipSpace();
            if (Peek() == '(')
            {
                _position++;
                var inner = Expression(depth + 1);
                SkipSpace();
                if (Peek() != ')')
                {
                    throw new FormatException($"a \")\" is missing at position {_position + 1} of the filter");
                }

                _position++;
                return inner;
            }

            var field = Word() ?? throw new FormatException($"a field name is expected at position {_position + 1} of the filter");
            var op = Word()?.ToLowerInvariant() ?? throw new FormatException($"an operator (eq, ne, gt, ge, lt, le, so, sw, ew) is expected after \"{field}\"");
            var value = Value();
            Func<int, bool> order = op switch
            {
                "eq" => c => c == 0,
                "ne" => c => c != 0,
                "gt" => c => c > 0,
                "ge" => c => c >= 0,
                "lt" => c => c < 0,
                "le" => c => c <= 0,
                "so" or "sw" or "ew" => _ => false,
                _ => throw new FormatException($"\"{op}\" is not an operator; use eq, ne, gt, ge, lt, le, so, sw or ew"),
            };
            return entity =>
            {
                var actual = Lookup(entity, field);
                if (op is "so" or "sw" or "ew")
                {
                    var haystack = Text(actual);
                    var needle = Text(value);
                    return haystack is not null && needle is not null && op switch
                    {
                        "so" => haystack.Contains(needle, StringComparison.OrdinalIgnoreCase),
                        "sw" => haystack.StartsWith(needle, StringComparison.OrdinalIgnoreCase),
                        _ => haystack.EndsWith(needle, StringComparison.OrdinalIgnoreCase),
                    };
                }

                return Compare(actual, value) is { } c ? order(c) : op == "ne";
            };
        }

        private static JsonNode? Lookup(JsonObject entity, string field)
        {
            foreach (var (name, value) in entity)
            {
                if (string.Equals(name, field, StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }

            return null;
        }

        private static string? Text(JsonNode? node) => node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v => v.ToJsonString(),
            _ => null,
        };

        /// <summary>Null when the two cannot be ordered (different kinds); null equals null.</summary>
        private static int? Compare(JsonNode? actual, JsonNode? expected)
        {
            if (actual is null || expected is null)
            {
                return actual is null && expected is null ? 0 : null;
            }

            if (actual is JsonValue a && expected is JsonValue b)
            {
                var (ka, kb) = (a.GetValueKind(), b.GetValueKind());
                if (ka == JsonValueKind.Number && kb == JsonValueKind.Number)
                {
                    return Number(a).CompareTo(Number(b));
                }

                if (ka is JsonValueKind.True or JsonValueKind.False && kb is JsonValueKind.True or JsonValueKind.False)
                {
                    return (ka == kb) ? 0 : 1;
                }

                if (ka == JsonValueKind.String && kb == JsonValueKind.String)
                {
                    return string.Compare(a.GetValue<string>(), b.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
                }
            }

            return null;
        }

        /// <summary>Whatever CLR type the node holds (an int from code, a JsonElement from parsing), its JSON text is the number.</summary>
        private static double Number(JsonValue value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

        private JsonValue? Value()
        {
            SkipSpace();
            if (Peek() == '\'')
            {
                _position++;
                var builder = new System.Text.StringBuilder();
                while (true)
                {
                    if (_position >= text.Length)
                    {
                        throw new FormatException("a string in the filter has no closing quote");
                    }

                    var c = text[_position++];
                    if (c == '\'')
                    {
                        if (Peek() == '\'')
                        {
                            builder.Append('\'');
                            _position++;
                            continue;
                        }

                        return JsonValue.Create(builder.ToString());
                    }

                    builder.Append(c);
                }
            }

            var word = Word() ?? throw new FormatException($"a value is expected at position {_position + 1} of the filter");
            if (word.Equals("null", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            if (bool.TryParse(word, out var flag))
            {
                return JsonValue.Create(flag);
            }

            if (double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return JsonValue.Create(number);
            }

            if (Guid.TryParse(word, out var guid))
            {
                return JsonValue.Create(guid.ToString("D"));
            }

            throw new FormatException($"\"{word}\" is not a value; quote strings: '{word}'");
        }

        private bool TryKeyword(string keyword)
        {
            SkipSpace();
            var end = _position + keyword.Length;
            if (end <= text.Length && string.Compare(text, _position, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (end == text.Length || !IsWordChar(text[end])))
            {
                _position = end;
                return true;
            }

            return false;
        }

        private string? Word()
        {
            SkipSpace();
            var start = _position;
            while (_position < text.Length && IsWordChar(text[_position]))
            {
                _position++;
            }

            return _position > start ? text[start.._position] : null;
        }

        private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

        private char Peek() => _position < text.Length ? text[_position] : '\0';

        private void SkipSpace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }
    }
}
