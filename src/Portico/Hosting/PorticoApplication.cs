using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Portico.Admin;
using Portico.Audit;
using Portico.Authentication;
using Portico.Certificates;
using Portico.Cluster;
using Portico.Configuration;
using Portico.Cors;
using Portico.Csrf;
using Portico.DemoEngine;
using Portico.Forwarding;
using Portico.HttpsRedirection;
using Portico.Limits;
using Portico.Listeners;
using Portico.Logging;
using Portico.Operations;
using Portico.QpsApi;
using Portico.ResponseHeaders;
using Portico.Sessions;
using Portico.Tickets;
using Portico.VirtualProxies;
using Yarp.ReverseProxy.Configuration;

namespace Portico.Hosting;

/// <summary>Composes Portico: Kestrel listeners, services, and the request pipeline in the order of docs/architecture.md.</summary>
internal static class PorticoApplication
{
    /// <param name="loaded">A configuration that passed validation.</param>
    public static WebApplication Build(ConfigLoadResult loaded, PorticoHostOptions options)
    {
        if (!loaded.IsValid)
        {
            throw new ArgumentException("The configuration must be validated before Portico is built.", nameof(loaded));
        }

        // Cluster mode (docs/cluster.md): sessions, tickets, login targets and keys in PostgreSQL, and
        // the virtual proxies too: the node runs its file with the cluster's virtual proxies.
        var cluster = loaded.Config!.Cluster is { } clusterConfig ? Cluster.ClusterDatabase.Open(clusterConfig, options.Time) : null;
        var sharedConfig = cluster is null ? null : SharedConfiguration.Start(cluster, options.ConfigFilePath, loaded);
        loaded = sharedConfig?.Initial ?? loaded;
        var snapshot = ConfigSnapshot.Create(loaded.Config!, loaded.BaseDirectory, version: 1, loaded.ContentHash);
        var store = new ConfigSnapshotStore(snapshot);
        var listeners = new BoundListeners();
        // Certificates are judged by clients against their real clocks, so they are made on the real clock too.
        var certificate = ServerCertificate.Load(snapshot, TimeProvider.System, out var developmentCertificates);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = loaded.BaseDirectory });
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
        PorticoLogging.Configure(builder.Logging, snapshot.Config.Logging, options.LoggingEnvironment);
        options.ConfigureLogging?.Invoke(builder.Logging);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            var config = snapshot.Config.Listeners;
            Listen(kestrel, config.Https, o =>
            {
                o.Protocols = HttpProtocols.Http1AndHttp2;
                listeners.Register(ListenerKind.Https, o);
                o.UseHttps(certificate);
            });
            if (config.Http is { } http)
            {
                Listen(kestrel, http, o =>
                {
                    o.Protocols = HttpProtocols.Http1;
                    listeners.Register(ListenerKind.Http, o);
                });
            }

            if (config.QpsApi is { } qps)
            {
                Listen(kestrel, qps, o =>
                {
                    o.Protocols = HttpProtocols.Http1AndHttp2;
                    listeners.Register(ListenerKind.QpsApi, o);
                    o.UseHttps(https =>
                    {
                        https.ServerCertificate = certificate;
                        // The certificate is asked for in the handshake but judged per request by
                        // QpsApiGuardMiddleware, so a refused caller gets a status code and a reason.
                        https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
                        https.AllowAnyClientCertificate();
                    });
                });
            }

            if (config.QrsApi is { } qrs)
            {
                Listen(kestrel, qrs, o =>
                {
                    o.Protocols = HttpProtocols.Http1AndHttp2;
                    listeners.Register(ListenerKind.QrsApi, o);
                    o.UseHttps(https =>
                    {
                        https.ServerCertificate = certificate;
                        // As on the QPS API listener: judged per request by AdminApiGuardMiddleware.
                        https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
                        https.AllowAnyClientCertificate();
                    });
                });
            }

            if (config.Ops is { } ops)
            {
                Listen(kestrel, ops, o =>
                {
                    o.Protocols = HttpProtocols.Http1;
                    listeners.Register(ListenerKind.Ops, o);
                });
            }
        });

        var services = builder.Services;

        // Kestrel's half of the runtime's inline socket I/O mode (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1,
        // one event thread per core): requests then run on the thread that read them instead of hopping
        // to the thread pool. That mode needs a request path that never blocks a thread, which Portico's
        // does not; without the variable nothing changes.
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1")
        {
            services.Configure<SocketTransportOptions>(o => o.UnsafePreferInlineScheduling = true);
        }

        services.AddSingleton(options.Time);
        services.AddSingleton(store);
        services.AddPorticoAudit(snapshot, options.Time);
        services.AddSingleton(listeners);
        services.AddSingleton(new HostCertificates(certificate, developmentCertificates));
        services.AddSingleton<ConfigReloader>();
        services.AddSingleton<HttpListenerHandler>();
        services.AddSingleton<ForwardingRoutes>();
        services.AddSingleton<ForwardingMiddleware>();
        if (cluster is null)
        {
            services.AddSingleton<ISessionStore, InMemorySessionStore>();
        }
        services.AddSingleton<SessionSockets>();
        services.AddSingleton<GracefulDrain>();
        var drainTime = TimeSpan.FromSeconds(snapshot.Config.Shutdown.DrainSeconds);
        services.Configure<HostOptions>(host => host.ShutdownTimeout = drainTime);
        services.AddSingleton<SessionManager>();
        services.AddSingleton<LoginSessions>();
        services.AddSingleton<ClientLimits>();
        services.AddMetrics();
        services.AddSingleton<SessionMetrics>();
        services.AddOperations(exportMetrics: snapshot.Config.Listeners.Ops is not null);
        services.AddHostedService<SessionExpiryService>();
        if (cluster is null)
        {
            services.AddSingleton(sp => new TicketStore(options.Time, lifetime: TimeSpan.FromSeconds(snapshot.Config.QpsApi.TicketLifetimeSeconds)));
            services.AddSingleton(sp => new TargetStore(options.Time));
            services.AddSingleton(sp => new Authentication.Saml.SamlRequestStore(options.Time));
            services.AddSingleton(sp => new Authentication.Oidc.OidcLoginStore(options.Time));
            services.AddSingleton(sp => new Authentication.Oidc.OidcLogoutHints(options.Time));
        }
        else
        {
            services.AddClusterStores(cluster, sharedConfig!, snapshot, options.Time);
            // Every node derives the same CSRF tokens and audit session names from keys in the database.
            services.AddSingleton(new SessionIdHash(cluster.LoadOrCreateKey("audit-session-key")));
        }

        services.AddSingleton<Authentication.Saml.SamlLogin>();
        services.AddSingleton(cluster is null
            ? new Authentication.Saml.SamlSigningKey(snapshot.ResolvePath(snapshot.Config.DataDirectory))
            : Authentication.Saml.SamlSigningKey.FromCluster(cluster));
        services.AddSingleton<Authentication.Oidc.OidcProviders>();
        services.AddSingleton<QpsApiTrust>();
        services.AddSingleton<QpsApiHandlers>();
        // Where the admin API reads and writes the configuration (docs/admin-api.md): the file, or
        // for the built-in demo, memory; in cluster mode, the cluster database.
        services.AddSingleton<IConfigSource>(sharedConfig is not null
            ? new PostgresConfigSource(sharedConfig, store)
            : options.ConfigFilePath is { } adminFile
            ? new FileConfigSource(adminFile)
            : new MemoryConfigSource(System.Text.Json.JsonSerializer.Serialize(snapshot.Config, ConfigJson.Options), loaded.BaseDirectory, options.Time));
        services.AddSingleton<VirtualProxyAdmin>();
        services.AddSingleton<AdminApiHandlers>();
        services.AddSingleton<Doctor.OriginCheckRunner>();
        services.AddSingleton<WebConsole.ConsoleFiles>();
        services.AddSingleton(cluster is null
            ? CsrfTokens.FromDataDirectory(snapshot.ResolvePath(snapshot.Config.DataDirectory))
            : new CsrfTokens(cluster.LoadOrCreateKey("csrf-token-key")));
        services.AddRouting();
        var (routes, clusters) = ForwardingConfigBuilder.Build(snapshot);
        services.AddSingleton<Yarp.ReverseProxy.SessionAffinity.ISessionAffinityPolicy, SessionAffinityPolicy>();
        services.AddSingleton<Yarp.ReverseProxy.Health.IActiveHealthCheckPolicy, EngineHealthPolicy>();
        services.AddSingleton<Yarp.ReverseProxy.Forwarder.IForwarderHttpClientFactory, EngineHttpClientFactory>();
        services.AddReverseProxy()
            .LoadFromMemory(routes, clusters)
            .AddTransforms<IdentityHeadersTransform>();
        if (options.ConfigFilePath is { } configFile)
        {
            services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ConfigFileWatcher>(sp, configFile));
        }

        if (snapshot.Config.DemoEngine.Enabled)
        {
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<DemoEngineHostedService>(sp, new DemoEngineOptions
            {
                Url = snapshot.Config.DemoEngine.Url,
                NodeName = "demo-engine",
                QlikApiPackage = snapshot.Config.DemoEngine.QlikApiPackage is { } package ? snapshot.ResolvePath(package) : null,
            }));
            services.AddHostedService(sp => sp.GetRequiredService<DemoEngineHostedService>());
        }

        var app = builder.Build();
        app.Services.GetRequiredService<SessionMetrics>();
        var drain = app.Services.GetRequiredService<GracefulDrain>();
        app.Lifetime.ApplicationStopping.Register(() => drain.Begin(drainTime));

        // YARP probes every engine as soon as the forwarding configuration is loaded, in
        // ConfigurePipeline: the demo engine must be listening by then, or its first probes fail.
        app.Services.GetService<DemoEngineHostedService>()?.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        var forwardingConfig = app.Services.GetRequiredService<InMemoryConfigProvider>();
        store.Swapped += next =>
        {
            var (nextRoutes, nextClusters) = ForwardingConfigBuilder.Build(next);
            forwardingConfig.Update(nextRoutes, nextClusters);
        };

        ConfigurePipeline(app);
        app.Services.GetRequiredService<AuditLog>().Record(AuditEvents.ConfigApplied(snapshot.Version, "start", []));
        ConfigWarnings.Write(
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Portico.Configuration"),
            snapshot,
            qpsApiTrustsNobody: snapshot.Config.Listeners.QpsApi is not null && !app.Services.GetRequiredService<QpsApiTrust>().TrustsAnyone);
        return app;
    }

    private static void ConfigurePipeline(WebApplication app)
    {
        // The plain-HTTP listener only redirects; the QPS API listener serves the QPS REST API; the
        // ops listener answers health, readiness and metrics (docs/operations.md). The listener is
        // looked up once per request, and HTTPS requests go on to the virtual proxies.
        IApplicationBuilder pipeline = app;
        var http = pipeline.New();
        http.Run(c => c.RequestServices.GetRequiredService<HttpListenerHandler>().HandleAsync(c));
        var redirectOnly = http.Build();
        var qps = pipeline.New();
        qps.UseMiddleware<QpsApiGuardMiddleware>();
        qps.UseRouting();
        qps.UseEndpoints(QpsApiEndpoints.Map);
        qps.Run(c => Http.PorticoResponse.WriteErrorAsync(c, StatusCodes.Status404NotFound, "not_found", "No QPS API endpoint at this path."));
        var qpsApi = qps.Build();
        var qrs = pipeline.New();
        qrs.UseMiddleware<AdminApiGuardMiddleware>();
        qrs.UseRouting();
        qrs.UseEndpoints(AdminApiEndpoints.Map);
        qrs.Run(c => Http.PorticoResponse.WriteErrorAsync(c, StatusCodes.Status404NotFound, "not_found", "No admin API endpoint at this path."));
        var qrsApi = qrs.Build();
        // The web console mounts the same endpoints under /{prefix}/console/api/, behind its own door (docs/console.md).
        var consoleApi = pipeline.New();
        consoleApi.UseRouting();
        consoleApi.UseEndpoints(AdminApiEndpoints.Map);
        consoleApi.Run(c => Http.PorticoResponse.WriteErrorAsync(c, StatusCodes.Status404NotFound, "not_found", "No admin API endpoint at this path."));
        var consoleApiPipeline = new WebConsole.ConsoleApi(consoleApi.Build());
        var listeners = app.Services.GetRequiredService<BoundListeners>();
        var ops = app.Services.GetRequiredService<ConfigSnapshotStore>().Current.Config.Listeners.Ops is null ? null : OpsEndpoints.BuildPipeline(pipeline.New());

        // First, so that every request is logged, on every listener, whichever step answers it
        // (the ops listener's probes and scrapes excepted, see AccessLogMiddleware).
        app.UseMiddleware<AccessLogMiddleware>();
        if (app.Services.GetService<Cluster.ClusterDatabase>() is not null)
        {
            app.UseMiddleware<Cluster.SharedStoreUnavailableMiddleware>();
        }

        app.Use(next => context => listeners.KindOf(context) switch
        {
            ListenerKind.Http => redirectOnly(context),
            ListenerKind.QpsApi => qpsApi(context),
            ListenerKind.QrsApi => qrsApi(context),
            ListenerKind.Ops when ops is not null => ops(context),
            _ => next(context),
        });

        app.UseMiddleware<RequestDurationMiddleware>();
        app.UseMiddleware<ResponseHeadersMiddleware>();
        app.UseMiddleware<VirtualProxyMiddleware>();
        // ASP.NET Core's WebSocket middleware gives every HTTP/1.1 request a handshake feature; only
        // requests that can upgrade need one (context.WebSockets.IsWebSocketRequest is false without it).
        app.UseWhen(Http.WebSocketRequests.MayUpgrade, branch => branch.UseWebSockets());
        app.UseMiddleware<CorsMiddleware>();
        app.UseMiddleware<AuthenticationMiddleware>();
        app.UseMiddleware<Authentication.Saml.SamlEndpointsMiddleware>();
        app.UseMiddleware<CsrfMiddleware>();
        app.UseMiddleware<Authentication.Oidc.OidcEndpointsMiddleware>();
        app.UseMiddleware<BrowserEndpointsMiddleware>();
        app.UseMiddleware<ChallengeMiddleware>();
        app.UseMiddleware<WebConsole.ConsoleMiddleware>(consoleApiPipeline);
        var forwarding = app.Services.GetRequiredService<ForwardingMiddleware>();
        app.Run(forwarding.InvokeAsync);

        // Forwarding ends every request, so nothing below runs; it is declared to shape the
        // pipeline: without it, ASP.NET Core would put endpoint routing and authorization in front
        // of every request (Portico authorizes in its own steps and picks the route itself).
        app.UseRouting();
        app.UseAuthorization();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<EngineUnavailableMiddleware>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
    }

    private static void Listen(KestrelServerOptions kestrel, ListenerConfig listener, Action<ListenOptions> configure)
    {
        switch (listener.Address)
        {
            case "localhost":
                kestrel.ListenLocalhost(listener.Port, configure);
                break;
            case "*":
                kestrel.ListenAnyIP(listener.Port, configure);
                break;
            default:
                kestrel.Listen(IPAddress.Parse(listener.Address), listener.Port, configure);
                break;
        }
    }
}
