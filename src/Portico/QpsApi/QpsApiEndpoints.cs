namespace Portico.QpsApi;

/// <summary>Qlik's QPS REST API paths; the default virtual proxy has no prefix segment (<c>/qps/ticket</c>).</summary>
internal static class QpsApiEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var qps = endpoints.MapGroup("/qps");
        foreach (var (route, prefixOf) in new (string, Func<HttpContext, string>)[]
        {
            ("", _ => ""),
            ("/{prefix}", c => (string)c.Request.RouteValues["prefix"]!),
        })
        {
            qps.MapPost(route + "/ticket", (HttpContext c, QpsApiHandlers h) => h.IssueTicketAsync(c, prefixOf(c)));
            qps.MapPost(route + "/session", (HttpContext c, QpsApiHandlers h) => h.CreateSessionAsync(c, prefixOf(c)));
            qps.MapGet(route + "/session/{id}", (HttpContext c, string id, QpsApiHandlers h) => h.GetSessionAsync(c, prefixOf(c), id));
            qps.MapDelete(route + "/session/{id}", (HttpContext c, string id, QpsApiHandlers h) => h.DeleteSessionAsync(c, prefixOf(c), id));
            qps.MapGet(route + "/user/{directory}/{userId}", (HttpContext c, string directory, string userId, QpsApiHandlers h) => h.GetUserSessionsAsync(c, prefixOf(c), directory, userId));
            qps.MapDelete(route + "/user/{directory}/{userId}", (HttpContext c, string directory, string userId, QpsApiHandlers h) => h.DeleteUserAsync(c, prefixOf(c), directory, userId));
        }
    }
}
