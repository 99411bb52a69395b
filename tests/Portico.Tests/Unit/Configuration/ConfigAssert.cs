using Portico.Configuration;

namespace Portico.Tests.Unit.Configuration;

/// <summary>Assertions on validation results that print every error when they fail, so a broken rule is easy to spot.</summary>
internal static class ConfigAssert
{
    /// <summary>A folder that is absolute but never created: relative config paths resolve under it and exist nowhere.</summary>
    public static string NonExistentBaseDirectory() =>
        Path.Combine(Path.GetTempPath(), "portico-unit-" + Guid.NewGuid().ToString("N"));

    public static void HasError(IReadOnlyList<ConfigError> errors, string path, string messageFragment)
    {
        Assert.True(
            errors.Any(e => e.Path == path && e.Message.Contains(messageFragment, StringComparison.Ordinal)),
            $"expected an error at '{path}' containing '{messageFragment}'; got:{Environment.NewLine}{Describe(errors)}");
    }

    public static void HasNoErrorAt(IReadOnlyList<ConfigError> errors, string path)
    {
        Assert.False(
            errors.Any(e => e.Path == path),
            $"expected no error at '{path}'; got:{Environment.NewLine}{Describe(errors)}");
    }

    public static void IsValid(ConfigLoadResult result)
    {
        Assert.True(result.IsValid, $"expected a valid configuration; got:{Environment.NewLine}{Describe(result.Errors)}");
        Assert.NotNull(result.Config);
    }

    public static string Describe(IReadOnlyList<ConfigError> errors) =>
        errors.Count == 0 ? "  (no errors)" : string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
