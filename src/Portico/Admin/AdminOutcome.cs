using System.Text.Json.Nodes;
using Portico.Configuration;

namespace Portico.Admin;

internal enum AdminStatus
{
    Ok,
    Created,
    Deleted,

    /// <summary>A dry run: nothing was written; the outcome holds the validation result and the diff.</summary>
    DryRun,

    /// <summary>The request itself is malformed (not JSON, no modifiedDate, an id that differs from the path's).</summary>
    BadRequest,

    /// <summary>The configuration the change would make fails validation; every error is listed.</summary>
    Invalid,
    NotFound,

    /// <summary>The modifiedDate sent is older than the stored one (QRS's 409).</summary>
    Stale,

    /// <summary>If-Match names another version (HTTP's 412).</summary>
    PreconditionFailed,

    /// <summary>The configuration changed between reading and writing (a hand edit, another node).</summary>
    SourceChanged,

    /// <summary>The stored configuration does not validate (a broken hand edit); nothing can be changed until it is fixed.</summary>
    SourceInvalid,
}

/// <summary>What an admin API request came to; the endpoint turns it into a status code and body.</summary>
internal sealed record AdminOutcome(AdminStatus Status)
{
    public JsonObject? Entity { get; init; }

    public string? ETag { get; init; }

    public IReadOnlyList<ConfigError> Errors { get; init; } = [];

    public IReadOnlyList<FieldChange> Diff { get; init; } = [];

    public string? Message { get; init; }
}
