using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Portico.Sessions;

namespace Portico.Operations;

internal static class OperationsServices
{
    /// <param name="exportMetrics">
    /// True when the ops listener is configured. Without it nothing listens to Portico's meter, so
    /// the instruments cost nothing on the request path.
    /// </param>
    public static IServiceCollection AddOperations(this IServiceCollection services, bool exportMetrics)
    {
        services.AddSingleton<Readiness>();
        services.AddSingleton<EngineNodes>();
        services.AddSingleton<PorticoMetrics>();
        services.AddSingleton<OpsEndpoints>();
        if (exportMetrics)
        {
            services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService("portico"))
                .WithMetrics(metrics => metrics
                .AddMeter(SessionMetrics.MeterName)
                .AddPrometheusExporter());
        }

        return services;
    }
}
