using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portico.Audit;
using Portico.Configuration;

namespace Portico.Admin;

/// <summary>
/// Reads and changes virtual proxies in the stored configuration. Every change is checked against
/// the entity's version, applied to the stored text, validated as a whole by the same rules as the
/// file, written atomically (naming the version it read, so a hand edit made meanwhile is never
/// lost), and swapped in through the reload path; then audited. One change at a time per node.
/// </summary>
internal sealed partial class VirtualProxyAdmin(
    IConfigSource source,
    ConfigReloader reloader,
    ConfigSnapshotStore snapshots,
    AuditLog audit,
    TimeProvider time,
    ILogger<VirtualProxyAdmin> logger) : IDisposable
{
    private const string ArrayName = "virtualProxies";

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        // The file is read by people and by Portico, never by a browser: PEM keys keep their '+'.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly SemaphoreSlim _changes = new(1, 1);

    public string SourceDescription => source.Description;

    public async Task<(AdminView? View, AdminOutcome? Failure)> ReadAsync(CancellationToken cancellationToken)
    {
        var document = await source.ReadAsync(cancellationToken);
        var loaded = ConfigLoader.Parse(document.Text, document.BaseDirectory);
        if (!loaded.IsValid)
        {
            return (null, new AdminOutcome(AdminStatus.SourceInvalid)
            {
                Errors = loaded.Errors,
                Message = $"The stored configuration ({source.Description}) does not validate; fix it by hand. The running configuration is still version {snapshots.Current.Version}.",
            });
        }

        var root = JsonNode.Parse(document.Text, documentOptions: ConfigJson.DocumentOptions)!.AsObject();
        var arrayKey = root.Select(p => p.Key).First(k => string.Equals(k, ArrayName, StringComparison.OrdinalIgnoreCase));
        var written = root[arrayKey]!.AsArray();
        var entries = loaded.Config!.VirtualProxies.Select((vp, i) =>
        {
            var meta = QrsEntityMeta.Of(vp, document.LastModified);
            return new VirtualProxyEntry(i, written[i]!.AsObject(), vp, meta, QrsVirtualProxyMapping.ToEntity(vp, meta));
        }).ToList();
        return (new AdminView(document, root, arrayKey, entries), null);
    }

    public Task<AdminOutcome> CreateAsync(HttpContext context, JsonObject body, AdminCaller caller, bool dryRun) =>
        ChangeAsync(context, view =>
        {
            var id = body[QrsVirtualProxyMapping.IdField] is JsonValue given && given.TryGetValue<string>(out var text) && Guid.TryParse(text, out var requested)
                && view.Find(requested) is null && requested != Guid.Empty
                ? requested
                : Guid.NewGuid();
            var now = QrsEntityMeta.Truncate(time.GetUtcNow());
            var meta = new QrsEntityMeta(id, now, now, caller.UserName);
            var index = view.Entries.Count;
            var errors = new List<ConfigError>();
            var written = QrsVirtualProxyMapping.ToConfigObject(body, null, meta, errors, $"{ArrayName}[{index}]");
            var root = view.Root.DeepClone().AsObject();
            root[view.ArrayKey]!.AsArray().Add(written);
            return CommitAsync(context, view, root, before: null, index, errors, caller, AuditCodes.AdminVirtualProxyCreated, dryRun);
        });

    public Task<AdminOutcome> UpdateAsync(HttpContext context, Guid id, JsonObject body, string? ifMatch, AdminCaller caller, bool dryRun) =>
        ChangeEntryAsync(context, id, caller, (view, entry) =>
        {
            if (Preconditions(context, entry, body, ifMatch, caller, requireVersion: true) is { } refused)
            {
                return Task.FromResult(refused);
            }

            var meta = entry.Meta with { ModifiedDate = NextModifiedDate(entry.Meta), ModifiedByUserName = caller.UserName };
            var errors = new List<ConfigError>();
            var written = QrsVirtualProxyMapping.ToConfigObject(body, entry.Written, meta, errors, $"{ArrayName}[{entry.Index}]");
            var root = view.Root.DeepClone().AsObject();
            root[view.ArrayKey]!.AsArray()[entry.Index] = written;
            return CommitAsync(context, view, root, entry, entry.Index, errors, caller, AuditCodes.AdminVirtualProxyUpdated, dryRun);
        });

    public Task<AdminOutcome> DeleteAsync(HttpContext context, Guid id, string? ifMatch, AdminCaller caller, bool dryRun) =>
        ChangeEntryAsync(context, id, caller, (view, entry) =>
        {
            if (Preconditions(context, entry, body: null, ifMatch, caller, requireVersion: false) is { } refused)
            {
                return Task.FromResult(refused);
            }

            var root = view.Root.DeepClone().AsObject();
            root[view.ArrayKey]!.AsArray().RemoveAt(entry.Index);
            return CommitAsync(context, view, root, entry, index: null, [], caller, AuditCodes.AdminVirtualProxyDeleted, dryRun);
        });

    /// <summary>One change at a time per node: read the stored configuration, change it, validate, write, apply.</summary>
    private async Task<AdminOutcome> ChangeAsync(HttpContext context, Func<AdminView, Task<AdminOutcome>> change)
    {
        await _changes.WaitAsync(context.RequestAborted);
        try
        {
            var (view, failure) = await ReadAsync(context.RequestAborted);
            return view is null ? failure! : await change(view);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary><see cref="ChangeAsync"/> of the virtual proxy with this id; 404 when there is none.</summary>
    private Task<AdminOutcome> ChangeEntryAsync(HttpContext context, Guid id, AdminCaller caller, Func<AdminView, VirtualProxyEntry, Task<AdminOutcome>> change) =>
        ChangeAsync(context, view =>
        {
            if (view.Find(id) is not { } entry)
            {
                audit.Record(AdminAuditEvents.Rejected(context, caller, null, "not_found"));
                return Task.FromResult(new AdminOutcome(AdminStatus.NotFound) { Message = $"No virtual proxy has the id {id}." });
            }

            return change(view, entry);
        });

    public void Dispose() => _changes.Dispose();

    /// <summary>
    /// QRS's rule (a PUT carries the modifiedDate it read; an older one than stored is 409) and
    /// HTTP's (If-Match names the ETag it read; another is 412). A PUT must use one of them, so a
    /// client cannot overwrite a change it never saw by leaving both out.
    /// </summary>
    private AdminOutcome? Preconditions(HttpContext context, VirtualProxyEntry entry, JsonObject? body, string? ifMatch, AdminCaller caller, bool requireVersion)
    {
        if (ifMatch is not null && !entry.MatchesIfMatch(ifMatch))
        {
            audit.Record(AdminAuditEvents.Rejected(context, caller, entry.Config.Prefix, "precondition_failed"));
            return new AdminOutcome(AdminStatus.PreconditionFailed) { Entity = entry.Entity, ETag = entry.ETag, Message = "If-Match does not name the current version; read the virtual proxy again." };
        }

        if (body is null)
        {
            return null;
        }

        if (body[QrsVirtualProxyMapping.IdField] is JsonValue idValue
            && !(idValue.TryGetValue<string>(out var idText) && Guid.TryParse(idText, out var bodyId) && bodyId == entry.Meta.Id))
        {
            return new AdminOutcome(AdminStatus.BadRequest) { Message = $"The body's id is not {entry.Meta.Id}, the id in the path." };
        }

        var sent = body.FirstOrDefault(p => string.Equals(p.Key, QrsVirtualProxyMapping.ModifiedDateField, StringComparison.OrdinalIgnoreCase)).Value;
        if (sent is null)
        {
            return requireVersion && ifMatch is null
                ? new AdminOutcome(AdminStatus.BadRequest) { Message = "Send the modifiedDate you read (or an If-Match header with the ETag), so a change made since is not overwritten." }
                : null;
        }

        if (sent is not JsonValue value || !value.TryGetValue<string>(out var sentText)
            || !DateTimeOffset.TryParse(sentText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sentDate))
        {
            return new AdminOutcome(AdminStatus.BadRequest) { Message = "modifiedDate is not a date; send it as read, e.g. \"2024-05-01T12:34:56.789Z\"." };
        }

        if (QrsEntityMeta.Truncate(sentDate) < entry.Meta.ModifiedDate)
        {
            audit.Record(AdminAuditEvents.Rejected(context, caller, entry.Config.Prefix, "conflict"));
            return new AdminOutcome(AdminStatus.Stale) { Entity = entry.Entity, ETag = entry.ETag, Message = "The virtual proxy was changed after the modifiedDate sent; read it again." };
        }

        return null;
    }

    private DateTimeOffset NextModifiedDate(QrsEntityMeta meta)
    {
        // Strictly later than the stored date, so a client holding that date is always stale after this change.
        var now = QrsEntityMeta.Truncate(time.GetUtcNow());
        return now > meta.ModifiedDate ? now : meta.ModifiedDate.AddMilliseconds(1);
    }

    private async Task<AdminOutcome> CommitAsync(
        HttpContext context, AdminView view, JsonObject root, VirtualProxyEntry? before, int? index, List<ConfigError> errors, AdminCaller caller, string code, bool dryRun)
    {
        var text = root.ToJsonString(WriteOptions) + "\n";
        var loaded = ConfigLoader.Parse(text, view.Document.BaseDirectory);
        errors.AddRange(loaded.Errors);
        var prefix = before?.Config.Prefix;
        if (errors.Count > 0)
        {
            if (!dryRun)
            {
                audit.Record(AdminAuditEvents.Rejected(context, caller, prefix, "invalid", [.. errors.Select(e => e.ToString())]));
            }

            return new AdminOutcome(AdminStatus.Invalid) { Errors = errors, Message = dryRun ? "Dry run: the change is not valid." : "The change is not valid; nothing was applied." };
        }

        var after = index is { } i ? Entry(loaded.Config!.VirtualProxies[i], i, root[view.ArrayKey]![i]!.AsObject(), view.Document.LastModified) : null;
        var diff = EntityDiff.Of(before?.Entity, after?.Entity);
        if (dryRun)
        {
            return new AdminOutcome(AdminStatus.DryRun) { Entity = after?.Entity, Diff = diff, Message = "Dry run: valid; nothing was applied." };
        }

        var written = await source.WriteAsync(text, view.Document.Version, context.RequestAborted);
        if (written is null)
        {
            audit.Record(AdminAuditEvents.Rejected(context, caller, prefix, "source_changed"));
            return new AdminOutcome(AdminStatus.SourceChanged) { Message = $"The configuration ({source.Description}) changed while this request was handled; read again and retry." };
        }

        // The file watcher may have seen the rename and applied the new file already; not twice.
        var applied = snapshots.Current.ContentHash == written.Version
            ? new ConfigReloadOutcome(true, [], [])
            : reloader.Apply(loaded with { ContentHash = written.Version });
        var version = snapshots.Current.Version;
        Log.Changed(logger, code, prefix ?? after?.Config.Prefix ?? "", caller.Actor, version);
        audit.Record(AdminAuditEvents.Changed(context, code, caller, after?.Config.Prefix ?? prefix ?? "", before?.Entity, after?.Entity, applied.Applied ? version : null));
        var status = code == AuditCodes.AdminVirtualProxyCreated ? AdminStatus.Created : code == AuditCodes.AdminVirtualProxyDeleted ? AdminStatus.Deleted : AdminStatus.Ok;
        return new AdminOutcome(status) { Entity = after?.Entity, ETag = after?.ETag, Diff = diff };
    }

    private static VirtualProxyEntry Entry(VirtualProxyConfig vp, int index, JsonObject written, DateTimeOffset documentModified)
    {
        var meta = QrsEntityMeta.Of(vp, documentModified);
        return new VirtualProxyEntry(index, written, vp, meta, QrsVirtualProxyMapping.ToEntity(vp, meta));
    }

    private static partial class Log
    {
        [LoggerMessage(4201, LogLevel.Information, "Admin API: {Change} of virtual proxy '{VirtualProxy}' by {Actor}; configuration version {Version} is active.")]
        public static partial void Changed(ILogger logger, string change, string virtualProxy, string actor, long version);
    }
}
