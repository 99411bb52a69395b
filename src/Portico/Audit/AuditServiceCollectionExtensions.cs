using Portico.Configuration;

namespace Portico.Audit;

internal static class AuditServiceCollectionExtensions
{
    /// <summary>The audit log and its background writer, with the sinks the configuration names (bound at start).</summary>
    public static IServiceCollection AddPorticoAudit(this IServiceCollection services, ConfigSnapshot snapshot, TimeProvider time)
    {
        var config = snapshot.Config.Audit;
        services.AddSingleton(new AuditLog(config.Enabled, time));
        var recent = new RecentAuditEvents();
        services.AddSingleton(recent);
        if (!config.Enabled)
        {
            return services;
        }

        services.AddSingleton(SessionIdHash.FromDataDirectory(snapshot.ResolvePath(snapshot.Config.DataDirectory)));
        services.AddHostedService(sp =>
        {
            var sinks = new List<IAuditSink> { recent };
            if (!string.IsNullOrWhiteSpace(config.File))
            {
                sinks.Add(new AuditFileSink(snapshot.ResolvePath(config.File), config.MaxFileBytes, config.MaxFiles));
            }

            if (config.Stdout)
            {
                sinks.Add(new AuditStdoutSink());
            }

            var writer = ActivatorUtilities.CreateInstance<AuditWriter>(sp, (IReadOnlyList<IAuditSink>)sinks);
            sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(writer.WriteRemaining);
            return writer;
        });
        return services;
    }
}
