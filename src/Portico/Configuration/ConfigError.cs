namespace Portico.Configuration;

/// <summary>One problem in a configuration, with the JSON path of the field and how to fix it.</summary>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
