namespace Portico.Logging;

/// <summary>Log level names as admins write them in the config file and in environment variables.</summary>
internal static class LogLevelNames
{
    public const string ValidNames = "Trace, Debug, Information, Warning, Error, Critical or None";

    private static readonly LogLevel[] Levels =
        [LogLevel.Trace, LogLevel.Debug, LogLevel.Information, LogLevel.Warning, LogLevel.Error, LogLevel.Critical, LogLevel.None];

    /// <summary>
    /// A level by its name, in any case. Numbers are refused: "2" reads as a level to the runtime
    /// but to few admins, and a typo must not turn into some level silently.
    /// </summary>
    public static bool TryParse(string? name, out LogLevel level)
    {
        foreach (var candidate in Levels)
        {
            if (string.Equals(name, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                level = candidate;
                return true;
            }
        }

        level = LogLevel.None;
        return false;
    }

    public static string Invalid(string? name) =>
        name is null ? $"must be one of {ValidNames}" : $"\"{LogValues.Escape(name)}\" is not a log level; use one of {ValidNames}";
}

/// <summary>Log category names in level settings.</summary>
internal static class LogCategories
{
    /// <summary>The entry that applies to every category without one of its own.</summary>
    public const string Default = "Default";

    /// <returns>Why <paramref name="category"/> cannot name a category, or null when it can.</returns>
    public static string? Problem(string category)
    {
        if (category.Length == 0)
        {
            return "a category name is empty; write \"Default\" for all categories or a name such as \"Portico.Forwarding\"";
        }

        // Escaping changes a name with control or invisible characters (or a backslash): no category has them.
        if (category.Contains(' ', StringComparison.Ordinal) || !ReferenceEquals(LogValues.Escape(category), category))
        {
            return "a category name has spaces, backslashes, control or invisible characters; write a name such as \"Portico.Forwarding\"";
        }

        return null;
    }

    public static bool IsDefault(string category) => string.Equals(category, Default, StringComparison.OrdinalIgnoreCase);
}
