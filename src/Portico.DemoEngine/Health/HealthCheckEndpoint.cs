using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Portico.DemoEngine.Apps;
using Portico.DemoEngine.Qix;
using Portico.DemoEngine.Sockets;

namespace Portico.DemoEngine.Health;

/// <summary>
/// <c>GET /healthcheck</c> in the shape of Qlik's engine health check, which load balancers and the
/// proxy's node selection read. Figures are real where the engine has them (sockets, users, docs,
/// memory) and zero where it has no such thing (cache).
/// </summary>
internal sealed class HealthCheckEndpoint
{
    private const double Megabyte = 1024 * 1024;

    private readonly string _nodeName;
    private readonly DateTimeOffset _started;
    private readonly SocketRegistry _sockets;
    private readonly AppCatalog _catalog;

    public HealthCheckEndpoint(string nodeName, DateTimeOffset started, SocketRegistry sockets, AppCatalog catalog)
    {
        _nodeName = nodeName;
        _started = started;
        _sockets = sockets;
        _catalog = catalog;
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Http.ReadOnlyMethods.Refused(context))
        {
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(Build().ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    public JsonObject Build()
    {
        var open = _sockets.Snapshot();
        var activeDocs = open
            .Select(s => s.Connection?.ActiveDocument?.App.Id)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var memory = GC.GetGCMemoryInfo();

        return new JsonObject
        {
            ["version"] = EngineInfo.Version,
            ["started"] = _started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["mem"] = new JsonObject
            {
                ["committed"] = Math.Round(memory.TotalCommittedBytes / Megabyte, 3),
                ["allocated"] = Math.Round(GC.GetTotalMemory(forceFullCollection: false) / Megabyte, 3),
                ["free"] = Math.Round(Math.Max(0, memory.TotalAvailableMemoryBytes - memory.TotalCommittedBytes) / Megabyte, 3),
            },
            ["cpu"] = new JsonObject { ["total"] = CpuPercentSinceStart() },
            ["session"] = new JsonObject { ["active"] = open.Count, ["total"] = _sockets.TotalCount },
            ["apps"] = new JsonObject
            {
                ["active_docs"] = new JsonArray([.. activeDocs.Select(id => JsonValue.Create(id))]),
                ["in_memory_docs"] = new JsonArray([.. _catalog.Apps.Select(app => JsonValue.Create(app.Id))]),
                ["loaded_docs"] = new JsonArray([.. activeDocs.Select(id => JsonValue.Create(id))]),
                ["calls"] = _sockets.CallCount,
                ["selections"] = 0,
            },
            ["users"] = new JsonObject
            {
                ["active"] = open.Select(s => s.User).OfType<Identity.QlikUser>().Distinct().Count(),
                ["total"] = _sockets.UsersSeenCount,
            },
            ["cache"] = new JsonObject { ["hits"] = 0, ["lookups"] = 0, ["added"] = 0, ["replaced"] = 0, ["bytes_added"] = 0 },
            ["saturated"] = false,
            ["nodeName"] = _nodeName,
        };
    }

    private int CpuPercentSinceStart()
    {
        var elapsed = DateTimeOffset.UtcNow - _started;
        if (elapsed <= TimeSpan.Zero)
        {
            return 0;
        }

        using var process = Process.GetCurrentProcess();
        var share = process.TotalProcessorTime / (elapsed * Environment.ProcessorCount);
        return (int)Math.Clamp(Math.Round(share * 100), 0, 100);
    }
}
