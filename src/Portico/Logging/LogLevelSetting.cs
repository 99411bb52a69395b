namespace Portico.Logging;

/// <summary>A minimum level for a log category and the categories below it; <see cref="LogCategories.Default"/> for all others.</summary>
internal sealed record LogLevelSetting(string Category, LogLevel Level);
