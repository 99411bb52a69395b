using Portico.Configuration;
using Portico.Sessions;
using Portico.Tickets;

namespace Portico.Cluster;

/// <summary>Cluster mode's services: the shared stores instead of the in-memory ones, the change feed, and the follower of the cluster's configuration.</summary>
internal static class ClusterServices
{
    public static IServiceCollection AddClusterStores(this IServiceCollection services, ClusterDatabase database, SharedConfiguration configuration, ConfigSnapshot snapshot, TimeProvider time)
    {
        services.AddSingleton(database);
        services.AddSingleton(configuration);
        services.AddSingleton<SharedConfigFollower>();
        services.AddSingleton<PostgresSessionStore>();
        services.AddSingleton<ISessionStore>(sp => sp.GetRequiredService<PostgresSessionStore>());
        services.AddSingleton(new TicketStore(time, lifetime: TimeSpan.FromSeconds(snapshot.Config.QpsApi.TicketLifetimeSeconds),
            shared: new PostgresTicketStorage(database, TicketStore.DefaultCapacity)));
        services.AddSingleton(new TargetStore(time, shared: new PostgresTargetStorage(database, TargetStore.DefaultCapacity)));
        // Logins in progress too: the provider or identity provider may send the browser back to any node.
        var loginStates = new PostgresLoginStateStorage(database);
        services.AddSingleton(new Authentication.Saml.SamlRequestStore(time, shared: loginStates));
        services.AddSingleton(new Authentication.Oidc.OidcLoginStore(time, shared: loginStates));
        services.AddSingleton(new Authentication.Oidc.OidcLogoutHints(time, shared: loginStates));
        services.AddSingleton<ChangeFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeFeed>());
        return services;
    }
}
