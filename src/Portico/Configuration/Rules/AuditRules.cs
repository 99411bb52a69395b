namespace Portico.Configuration.Rules;

/// <summary>The audit section, and that its file can be written before anything is started.</summary>
internal sealed class AuditRules(string baseDirectory) : IConfigRule
{
    public const long MinFileBytes = 4_096;
    public const int MaxFilesLimit = 1_000;

    public void Check(PorticoConfig config, ConfigErrors errors)
    {
        if (config.Audit is not { } audit)
        {
            errors.Add("audit", "must be an object such as { \"enabled\": true, \"file\": \"audit/portico-audit.jsonl\" }, or left out");
            return;
        }

        if (audit.MaxFileBytes < MinFileBytes)
        {
            errors.Add("audit.maxFileBytes", $"must be at least {MinFileBytes} bytes (the default is 10485760, 10 MiB)");
        }

        if (audit.MaxFiles is < 2 or > MaxFilesLimit)
        {
            errors.Add("audit.maxFiles", $"must be between 2 (the current file and one rotated) and {MaxFilesLimit}");
        }

        if (!audit.Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(audit.File) && !audit.Stdout)
        {
            errors.Add("audit", "is enabled but has nowhere to write: set \"file\", set \"stdout\": true, or set \"enabled\": false");
            return;
        }

        if (!string.IsNullOrWhiteSpace(audit.File) && ProbeWritable(Path.GetFullPath(audit.File, baseDirectory)) is { } problem)
        {
            errors.Add("audit.file", problem);
        }
    }

    /// <summary>Opens the file for appending (creating it and its folder) exactly as the writer will; null when that works.</summary>
    private static string? ProbeWritable(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"cannot write '{path}': {ex.Message}; choose a path in a folder Portico may write to (relative paths start at the config file's folder)";
        }
    }
}
