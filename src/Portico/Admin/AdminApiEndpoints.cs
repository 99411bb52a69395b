namespace Portico.Admin;

/// <summary>
/// The admin API's paths: Qlik's QRS <c>virtualproxyconfig</c> endpoints, and Portico's own for
/// engine nodes and live sessions (docs/admin-api.md).
/// </summary>
internal static class AdminApiEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var qrs = endpoints.MapGroup("/qrs");
        var vp = qrs.MapGroup("/virtualproxyconfig");
        vp.MapGet("", (HttpContext c, AdminApiHandlers h) => h.ListAsync(c, full: false));
        vp.MapGet("/full", (HttpContext c, AdminApiHandlers h) => h.ListAsync(c, full: true));
        vp.MapGet("/count", (HttpContext c, AdminApiHandlers h) => h.CountAsync(c));
        vp.MapGet("/{id:guid}", (HttpContext c, Guid id, AdminApiHandlers h) => h.GetAsync(c, id));
        vp.MapPost("", (HttpContext c, AdminApiHandlers h) => h.CreateAsync(c));
        vp.MapPut("/{id:guid}", (HttpContext c, Guid id, AdminApiHandlers h) => h.UpdateAsync(c, id));
        vp.MapDelete("/{id:guid}", (HttpContext c, Guid id, AdminApiHandlers h) => h.DeleteAsync(c, id));
        vp.MapGet("/{id:guid}/generate/samlmetadata", (HttpContext c, Guid id, AdminApiHandlers h) => h.SamlMetadataAsync(c, id));
        qrs.MapGet("/servernodeconfiguration", (AdminApiHandlers h) => h.ServerNodes(full: false));
        qrs.MapGet("/servernodeconfiguration/full", (AdminApiHandlers h) => h.ServerNodes(full: true));
        qrs.MapGet("/about/api/default/virtualproxyconfig", () => AdminApiHandlers.Defaults());

        var portico = qrs.MapGroup("/portico");
        portico.MapGet("/enginenode", (AdminApiHandlers h) => h.EngineNodes());
        portico.MapGet("/session", (HttpContext c, AdminApiHandlers h) => h.ListSessionsAsync(c));
        portico.MapDelete("/session/{id}", (HttpContext c, string id, AdminApiHandlers h) => h.RevokeSessionAsync(c, id));
        portico.MapGet("/audit", (HttpContext c, AdminApiHandlers h) => h.RecentAudit(c));
        portico.MapPost("/origincheck", (HttpContext c, AdminApiHandlers h) => h.OriginCheckAsync(c));
    }
}
