namespace Portico.DemoEngine.HyperCubes;

/// <summary>Field names as written in definitions: optionally in square brackets, which Qlik needs for names with spaces.</summary>
internal static class FieldReference
{
    public static string Unwrap(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var trimmed = reference.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '[' && trimmed[^1] == ']'
            ? trimmed[1..^1]
            : trimmed;
    }
}
