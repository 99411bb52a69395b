using Portico.Configuration;

namespace Portico.Operations;

/// <summary>
/// The ops listener's answers: /healthz (the process is alive), /readyz (this node should get
/// traffic) and /metrics (Prometheus text, served by OpenTelemetry's exporter). Nothing of the
/// virtual proxy pipeline runs here; see docs/operations.md.
/// </summary>
internal sealed class OpsEndpoints(Readiness readiness, EngineNodes engines, ConfigSnapshotStore snapshots, IServiceProvider services)
{
    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";
    public const string MetricsPath = "/metrics";

    private static readonly LivenessBody Alive = new("alive");

    /// <summary>The ops listener's whole pipeline.</summary>
    public static RequestDelegate BuildPipeline(IApplicationBuilder ops)
    {
        var endpoints = ops.ApplicationServices.GetRequiredService<OpsEndpoints>();
        ops.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null, predicate: IsMetricsRequest, path: null,
            configureBranchedPipeline: null, optionsName: null);
        ops.Run(endpoints.HandleAsync);
        return ops.Build();
    }

    private static bool IsMetricsRequest(HttpContext context) =>
        context.Request.Path.Equals(MetricsPath, StringComparison.Ordinal) && IsRead(context.Request.Method);

    public Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var known = path.Equals(HealthPath, StringComparison.Ordinal) || path.Equals(ReadyPath, StringComparison.Ordinal) || path.Equals(MetricsPath, StringComparison.Ordinal);
        if (!known)
        {
            return Http.PorticoResponse.WriteErrorAsync(context, StatusCodes.Status404NotFound, "not_found",
                $"The ops listener serves only {HealthPath}, {ReadyPath} and {MetricsPath}.");
        }

        if (!IsRead(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            return Http.PorticoResponse.WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "method_not_allowed",
                $"{path} answers GET and HEAD only.");
        }

        context.Response.Headers.CacheControl = "no-store";
        if (path.Equals(HealthPath, StringComparison.Ordinal))
        {
            return context.Response.WriteAsJsonAsync(Alive, OperationsJsonContext.Default.LivenessBody);
        }

        var report = ReadinessCheck.Evaluate(new ReadinessInput(
            snapshots.Current.Version, readiness.ListenersBound, readiness.IsDraining, engines.Read(),
            services.GetService<Cluster.ClusterDatabase>()?.IsAvailable,
            services.GetService<Cluster.SharedConfigFollower>()?.Problem));
        context.Response.StatusCode = report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        return context.Response.WriteAsJsonAsync(report, OperationsJsonContext.Default.ReadinessReport);
    }

    private static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
}
