using System.Text.Json;
using System.Text.Json.Nodes;
using Portico.Audit;
using Portico.Configuration;
using Portico.Operations;
using Portico.Sessions;

namespace Portico.Admin;

/// <summary>HTTP glue of the admin API: reads the request, asks <see cref="VirtualProxyAdmin"/>, writes Qlik's answer.</summary>
internal sealed class AdminApiHandlers(VirtualProxyAdmin admin, EngineNodes engines, ISessionStore store, SessionManager sessions, ConfigSnapshotStore snapshots, AuditLog audit, Authentication.Saml.SamlSigningKey samlSigningKey, RecentAuditEvents recentAudit, Doctor.OriginCheckRunner originChecks)
{
    /// <summary>A virtual proxy with a PEM key or two is a few kilobytes; anything near this is not one.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Sessions listed per virtual proxy at most; the user filter narrows a larger node.</summary>
    public const int MaxSessionsListed = 1000;

    /// <summary>Answers go to scripts, never into a page: quotes and PEM keys stay readable.</summary>
    private static readonly JsonSerializerOptions ResponseOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<IResult> ListAsync(HttpContext context, bool full)
    {
        var filter = QrsFilter.TryParse(context.Request.Query["filter"], out var filterError);
        if (filter is null)
        {
            return Error(StatusCodes.Status400BadRequest, "filter", $"The filter cannot be read: {filterError}.");
        }

        var (view, failure) = await admin.ReadAsync(context.RequestAborted);
        if (view is null)
        {
            return Outcome(context, failure!);
        }

        var list = new JsonArray();
        foreach (var entry in view.Entries.Where(e => filter.Matches(e.Entity)))
        {
            list.Add(full ? EntityDiff.Redact(entry.Entity) : QrsVirtualProxyMapping.Condensed(entry.Entity));
        }

        return Json(StatusCodes.Status200OK, list);
    }

    public async Task<IResult> CountAsync(HttpContext context)
    {
        var filter = QrsFilter.TryParse(context.Request.Query["filter"], out var filterError);
        if (filter is null)
        {
            return Error(StatusCodes.Status400BadRequest, "filter", $"The filter cannot be read: {filterError}.");
        }

        var (view, failure) = await admin.ReadAsync(context.RequestAborted);
        return view is null
            ? Outcome(context, failure!)
            : Json(StatusCodes.Status200OK, new JsonObject { ["value"] = view.Entries.Count(e => filter.Matches(e.Entity)) });
    }

    public async Task<IResult> GetAsync(HttpContext context, Guid id)
    {
        var (view, failure) = await admin.ReadAsync(context.RequestAborted);
        if (view is null)
        {
            return Outcome(context, failure!);
        }

        if (view.Find(id) is not { } entry)
        {
            return Error(StatusCodes.Status404NotFound, "not_found", $"No virtual proxy has the id {id}.");
        }

        context.Response.Headers.ETag = entry.ETag;
        return Json(StatusCodes.Status200OK, EntityDiff.Redact(entry.Entity)!);
    }

    /// <summary>
    /// Qlik's "download SP metadata" of a SAML virtual proxy: the same document the virtual proxy
    /// serves its identity provider at /{prefix}/saml/metadata.
    /// </summary>
    public async Task<IResult> SamlMetadataAsync(HttpContext context, Guid id)
    {
        var (view, failure) = await admin.ReadAsync(context.RequestAborted);
        if (view is null)
        {
            return Outcome(context, failure!);
        }

        if (view.Find(id) is not { } entry)
        {
            return Error(StatusCodes.Status404NotFound, "not_found", $"No virtual proxy has the id {id}.");
        }

        return Authentication.Saml.SamlServiceProvider.FromConfig(entry.Config) is { } sp
            ? Results.Text(Authentication.Saml.SpMetadata.Generate(sp, samlSigningKey.Certificate), "application/samlmetadata+xml; charset=utf-8")
            : Error(StatusCodes.Status404NotFound, "not_saml", $"Virtual proxy {id} does not use SAML (authenticationMethod 3): it has no SP metadata.");
    }

    public async Task<IResult> CreateAsync(HttpContext context)
    {
        var (body, error) = await ReadBodyAsync(context);
        return body is null ? error! : Outcome(context, await admin.CreateAsync(context, EntityDiff.WithoutPlaceholders(body), AdminCaller.Of(context), DryRun(context)));
    }

    public async Task<IResult> UpdateAsync(HttpContext context, Guid id)
    {
        var (body, error) = await ReadBodyAsync(context);
        return body is null ? error! : Outcome(context, await admin.UpdateAsync(context, id, EntityDiff.WithoutPlaceholders(body), IfMatch(context), AdminCaller.Of(context), DryRun(context)));
    }

    public async Task<IResult> DeleteAsync(HttpContext context, Guid id) =>
        Outcome(context, await admin.DeleteAsync(context, id, IfMatch(context), AdminCaller.Of(context), DryRun(context)));

    /// <summary>QRS's defaults for a new virtual proxy: what a POST leaves out.</summary>
    public static IResult Defaults()
    {
        var entity = QrsVirtualProxyMapping.ToEntity(new VirtualProxyConfig(), new QrsEntityMeta(Guid.Empty, default, default, ""));
        return Json(StatusCodes.Status200OK, entity);
    }

    /// <summary>
    /// The engine URLs the virtual proxies balance over, in the shape of QRS server node
    /// configurations (hostName is the URL), so a QRS client can name them in loadBalancingServerNodes.
    /// </summary>
    public IResult ServerNodes(bool full)
    {
        var list = new JsonArray();
        var urls = snapshots.Current.Config.VirtualProxies.SelectMany(vp => vp.LoadBalancingServerNodes).Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var url in urls.Order(StringComparer.Ordinal))
        {
            var node = new JsonObject { ["id"] = QrsEntityMeta.DerivedId("server-node:" + url).ToString("D"), ["name"] = url, ["hostName"] = url, ["privileges"] = null };
            if (full)
            {
                node["isCentral"] = false;
                node["schemaPath"] = "ServerNodeConfiguration";
            }

            list.Add(node);
        }

        return Json(StatusCodes.Status200OK, list);
    }

    public IResult EngineNodes()
    {
        var list = new JsonArray();
        foreach (var virtualProxy in engines.Read())
        {
            var nodes = new JsonArray();
            foreach (var node in virtualProxy.Nodes)
            {
                nodes.Add(new JsonObject { ["node"] = node.Node, ["address"] = node.Address, ["health"] = node.Health.ToString().ToLowerInvariant() });
            }

            list.Add(new JsonObject { ["virtualProxy"] = virtualProxy.VirtualProxy, ["nodes"] = nodes });
        }

        return Json(StatusCodes.Status200OK, list);
    }

    /// <summary>
    /// Live sessions, optionally of one virtual proxy (<c>virtualProxy</c>, its prefix) and one user
    /// (<c>userDirectory</c> and <c>userId</c>). A session is named by its X-Qlik-ProxySession id,
    /// never by the id in its cookie, which is a credential.
    /// </summary>
    public async Task<IResult> ListSessionsAsync(HttpContext context)
    {
        var list = new JsonArray();
        foreach (var session in await FindSessionsAsync(context))
        {
            list.Add(new JsonObject
            {
                ["id"] = session.ProxySessionId,
                ["virtualProxy"] = session.VirtualProxyPrefix,
                ["userDirectory"] = session.User.UserDirectory,
                ["userId"] = session.User.UserId,
                ["createdAt"] = QrsEntityMeta.Format(session.CreatedAt),
                ["lastActivityAt"] = QrsEntityMeta.Format(session.LastActivityAt),
                ["engineNode"] = session.EngineNode,
            });
        }

        return Json(StatusCodes.Status200OK, list);
    }

    /// <summary>Ends one session as the QPS API's DELETE does: its sockets get Qlik's notification and close.</summary>
    public async Task<IResult> RevokeSessionAsync(HttpContext context, string proxySessionId)
    {
        var session = (await FindSessionsAsync(context)).FirstOrDefault(s => string.Equals(s.ProxySessionId, proxySessionId, StringComparison.OrdinalIgnoreCase));
        if (session is null)
        {
            return Error(StatusCodes.Status404NotFound, "not_found", "No live session has that id.");
        }

        await sessions.EndAsync(session.Id, SessionEndReason.AdminDeleted, context.RequestAborted);
        await audit.RecordAsync(AdminAuditEvents.SessionRevoked(context, AdminCaller.Of(context), session));
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    /// <summary>
    /// The node's recent audit events, newest first, as the audit log wrote them; filtered by
    /// <c>user</c>, <c>virtualProxy</c> and <c>decision</c>, at most <c>limit</c>.
    /// </summary>
    public IResult RecentAudit(HttpContext context)
    {
        var q = context.Request.Query;
        if (AuditQuery.Parse(q["user"], q["virtualProxy"], q["decision"], q["limit"], recentAudit.Capacity, out var error) is not { } query)
        {
            return Error(StatusCodes.Status400BadRequest, "query", error!);
        }

        var list = new JsonArray();
        foreach (var audited in recentAudit.Find(query))
        {
            list.Add(JsonNode.Parse(audited.Json));
        }

        return Json(StatusCodes.Status200OK, list);
    }

    /// <summary>
    /// <c>portico doctor</c>'s browser checks for one origin against one virtual proxy, run from this
    /// node: body <c>{ "virtualProxyId": "&lt;guid&gt;", "origin": "https://app.example" }</c>.
    /// </summary>
    public async Task<IResult> OriginCheckAsync(HttpContext context)
    {
        var (body, error) = await ReadBodyAsync(context);
        if (body is null)
        {
            return error!;
        }

        var origin = body["origin"] is JsonValue o && o.TryGetValue<string>(out var originText) ? Cors.WebOrigin.Parse(originText) : null;
        if (origin is null)
        {
            return Error(StatusCodes.Status400BadRequest, "origin", "origin must be an absolute http or https origin, scheme://host[:port] with no path, e.g. \"https://app.example\".");
        }

        if (body["virtualProxyId"] is not JsonValue v || !v.TryGetValue<string>(out var idText) || !Guid.TryParse(idText, out var id))
        {
            return Error(StatusCodes.Status400BadRequest, "virtualProxyId", "virtualProxyId must be the id of a virtual proxy (GET /qrs/virtualproxyconfig).");
        }

        var (view, failure) = await admin.ReadAsync(context.RequestAborted);
        if (view is null)
        {
            return Outcome(context, failure!);
        }

        if (view.Find(id) is not { } entry)
        {
            return Error(StatusCodes.Status404NotFound, "not_found", $"No virtual proxy has the id {id}.");
        }

        var prefix = entry.Config.Prefix;
        if (!snapshots.Current.VirtualProxies.All.Any(vp => vp.Prefix == prefix))
        {
            return Error(StatusCodes.Status409Conflict, "not_running", $"Virtual proxy '{prefix}' is stored but not running yet; try again in a moment.");
        }

        var result = await originChecks.RunAsync(AdminCaller.Of(context).Actor, prefix, origin.Value, context.RequestAborted);
        if (result is null)
        {
            return Error(StatusCodes.Status429TooManyRequests, "origin_check_running", "An origin check of yours is still running; wait for its answer.");
        }

        var checks = new JsonArray();
        foreach (var check in result.Checks)
        {
            checks.Add(new JsonObject { ["name"] = check.Name, ["passed"] = check.Verdict == Doctor.DoctorVerdict.Pass, ["detail"] = check.Detail });
        }

        return Json(StatusCodes.Status200OK, new JsonObject { ["origin"] = result.Origin, ["virtualProxy"] = result.VirtualProxy, ["checks"] = checks });
    }

    private async Task<IReadOnlyList<Session>> FindSessionsAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string? prefix = query["virtualProxy"];
        string? directory = query["userDirectory"];
        string? userId = query["userId"];
        var found = new List<Session>();
        foreach (var virtualProxy in snapshots.Current.VirtualProxies.All.Where(vp => prefix is null || string.Equals(vp.Prefix, prefix, StringComparison.OrdinalIgnoreCase)))
        {
            var sessionsOfProxy = directory is not null && userId is not null
                ? await store.FindByUserAsync(virtualProxy.Prefix, directory, userId, context.RequestAborted)
                : await store.FindStaleAsync(StaleSessionQuery.All(virtualProxy.Prefix), MaxSessionsListed, context.RequestAborted);
            found.AddRange(sessionsOfProxy);
        }

        return found;
    }

    private static async Task<(JsonObject? Body, IResult? Error)> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return (null, Error(StatusCodes.Status413PayloadTooLarge, "too_large", $"The body is larger than {MaxBodyBytes} bytes."));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            var node = await JsonNode.ParseAsync(context.Request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }, cancellationToken: context.RequestAborted);
            return node is JsonObject body
                ? (body, null)
                : (null, Error(StatusCodes.Status400BadRequest, "body", "The body must be one JSON object (a VirtualProxyConfig entity)."));
        }
        catch (JsonException ex)
        {
            return (null, Error(StatusCodes.Status400BadRequest, "body", $"The body is not JSON: {ex.Message}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Error(StatusCodes.Status413PayloadTooLarge, "too_large", $"The body is larger than {MaxBodyBytes} bytes."));
        }
    }

    private static bool DryRun(HttpContext context) =>
        bool.TryParse(context.Request.Query["dryRun"], out var dryRun) && dryRun;

    private static string? IfMatch(HttpContext context) =>
        context.Request.Headers.IfMatch is { Count: > 0 } values ? string.Join(',', values.ToArray()) : null;

    private static IResult Outcome(HttpContext context, AdminOutcome outcome)
    {
        if (outcome.ETag is not null && outcome.Status is AdminStatus.Ok or AdminStatus.Created or AdminStatus.Stale or AdminStatus.PreconditionFailed)
        {
            context.Response.Headers.ETag = outcome.ETag;
        }

        switch (outcome.Status)
        {
            case AdminStatus.Ok:
                return Json(StatusCodes.Status200OK, EntityDiff.Redact(outcome.Entity)!);
            case AdminStatus.Created:
                // PathBase: the console mounts the API below /{prefix}/console/api (docs/console.md).
                context.Response.Headers.Location = $"{context.Request.PathBase}/qrs/virtualproxyconfig/{outcome.Entity![QrsVirtualProxyMapping.IdField]}";
                return Json(StatusCodes.Status201Created, EntityDiff.Redact(outcome.Entity)!);
            case AdminStatus.Deleted:
                return Results.StatusCode(StatusCodes.Status204NoContent);
            case AdminStatus.DryRun:
                return Json(StatusCodes.Status200OK, new JsonObject
                {
                    ["dryRun"] = true,
                    ["valid"] = true,
                    ["diff"] = EntityDiff.ToJson(outcome.Diff),
                    ["entity"] = EntityDiff.Redact(outcome.Entity),
                    ["message"] = outcome.Message,
                });
            case AdminStatus.Stale:
            case AdminStatus.PreconditionFailed:
                // QRS answers a stale write with the entity as it is now, so the client can merge and retry.
                return Json(outcome.Status == AdminStatus.Stale ? StatusCodes.Status409Conflict : StatusCodes.Status412PreconditionFailed, EntityDiff.Redact(outcome.Entity)!);
            case AdminStatus.Invalid:
            case AdminStatus.SourceInvalid:
                var errors = new JsonArray();
                foreach (var error in outcome.Errors)
                {
                    errors.Add(new JsonObject
                    {
                        ["path"] = error.Path,
                        ["field"] = FieldOf(error.Path),
                        ["message"] = error.Message,
                        ["title"] = error.ToString(),
                        ["code"] = "invalid_configuration",
                    });
                }

                return Json(outcome.Status == AdminStatus.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status503ServiceUnavailable, new JsonObject
                {
                    ["error"] = outcome.Status == AdminStatus.Invalid ? "invalid_configuration" : "stored_configuration_invalid",
                    ["message"] = outcome.Message,
                    ["dryRun"] = DryRun(context),
                    ["valid"] = false,
                    ["errors"] = errors,
                });
            case AdminStatus.NotFound:
                return Error(StatusCodes.Status404NotFound, "not_found", outcome.Message!);
            case AdminStatus.SourceChanged:
                return Error(StatusCodes.Status409Conflict, "configuration_changed", outcome.Message!);
            default:
                return Error(StatusCodes.Status400BadRequest, "bad_request", outcome.Message!);
        }
    }

    /// <summary>The entity field an error is about (<c>virtualProxies[2].prefix</c> → <c>prefix</c>), for a client that shows errors at their fields.</summary>
    private static string? FieldOf(string path)
    {
        const string Start = "virtualProxies[";
        if (!path.StartsWith(Start, StringComparison.Ordinal))
        {
            return null;
        }

        var close = path.IndexOf("].", StringComparison.Ordinal);
        return close < 0 ? null : path[(close + 2)..].Split('.', '[')[0];
    }

    private static IResult Json(int status, JsonNode body) =>
        Results.Text(body.ToJsonString(ResponseOptions), "application/json; charset=utf-8", System.Text.Encoding.UTF8, status);

    private static IResult Error(int status, string error, string message) =>
        Json(status, new JsonObject { ["error"] = error, ["message"] = message });
}
