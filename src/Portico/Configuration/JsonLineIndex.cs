using System.Text.Json;

namespace Portico.Configuration;

/// <summary>
/// The line each field and list entry of a JSON text starts on, by its path ("virtualProxies[0].prefix"),
/// so an error about a field can say where to look. A field written twice has one line per occurrence.
/// </summary>
internal sealed class JsonLineIndex
{
    private readonly Dictionary<string, List<int>> _lines;

    private JsonLineIndex(Dictionary<string, List<int>> lines) => _lines = lines;

    /// <summary>Indexes a text that <see cref="ConfigJson.DocumentOptions"/> already parsed without error.</summary>
    public static JsonLineIndex Build(byte[] utf8)
    {
        var lines = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var frames = new Stack<Frame>();
        var line = 1;
        var counted = 0;
        void Record(string path, long offset)
        {
            for (; counted < offset; counted++)
            {
                if (utf8[counted] == (byte)'\n')
                {
                    line++;
                }
            }

            if (!lines.TryGetValue(path, out var list))
            {
                lines[path] = list = [];
            }

            list.Add(line);
        }

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var owner = frames.Peek();
                    owner.PendingPath = Join(owner.Path, reader.GetString()!);
                    Record(owner.PendingPath, reader.TokenStartIndex);
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    frames.Pop();
                    continue;
            }

            var path = "";
            if (frames.TryPeek(out var parent))
            {
                if (parent.IsArray)
                {
                    parent.Index++;
                    path = $"{parent.Path}[{parent.Index}]";
                    Record(path, reader.TokenStartIndex);
                }
                else
                {
                    path = parent.PendingPath;
                }
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                frames.Push(new Frame(path, reader.TokenType == JsonTokenType.StartArray));
            }
        }

        return new JsonLineIndex(lines);
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    /// <summary>The line of the <paramref name="occurrence"/>-th appearance of <paramref name="path"/> (0 = the first).</summary>
    public int? LineOf(string path, int occurrence = 0) =>
        _lines.TryGetValue(path, out var list) && occurrence < list.Count ? list[occurrence] : null;

    private sealed class Frame(string path, bool isArray)
    {
        public string Path { get; } = path;

        public bool IsArray { get; } = isArray;

        public int Index { get; set; } = -1;

        public string PendingPath { get; set; } = path;
    }
}
