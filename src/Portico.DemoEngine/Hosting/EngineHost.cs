using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portico.DemoEngine.Apps;
using Portico.DemoEngine.Echo;
using Portico.DemoEngine.Health;
using Portico.DemoEngine.Observation;
using Portico.DemoEngine.Qix;
using Portico.DemoEngine.Sockets;

namespace Portico.DemoEngine.Hosting;

/// <summary>
/// Composes the engine's web application. It starts from an empty builder on purpose: inside the
/// proxy process the default builder would read the proxy's appsettings.json, environment variables
/// and command line (Kestrel endpoints, URLs) and the engine would end up listening where the proxy
/// should. Everything is wired by hand, which also keeps the composition visible in one place.
/// </summary>
internal sealed class EngineHost
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private EngineHost(WebApplication app, RequestJournal journal, SocketRegistry sockets)
    {
        App = app;
        Journal = journal;
        Sockets = sockets;
    }

    public WebApplication App { get; }

    public RequestJournal Journal { get; }

    public SocketRegistry Sockets { get; }

    public static EngineHost Build(DemoEngineOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EngineHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseKestrelCore().UseUrls(options.Url);
        EngineTrust.ConfigureListener(builder.WebHost, options);
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime>(new EmbeddedHostLifetime());
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);

        var app = builder.Build();

        var catalog = AppCatalog.BuiltIn;
        var journal = new RequestJournal();
        var sockets = new SocketRegistry();
        var health = new HealthCheckEndpoint(options.NodeName, DateTimeOffset.UtcNow, sockets, catalog);
        var echo = new EchoEndpoint(options.NodeName);
        var engine = new EngineSocketEndpoint(
            new QixDispatcher(catalog),
            sockets,
            loggerFactory.CreateLogger<EngineSocketEndpoint>(),
            app.Lifetime.ApplicationStopping);

        // Sockets are cut when stopping begins; the server would otherwise wait for them to end.
        app.Lifetime.ApplicationStopping.Register(sockets.AbortAll);

        app.UseWebSockets();
        app.Use(next => new RequestJournalMiddleware(next, journal).InvokeAsync);
        EngineTrust.UseTrust(app, options, loggerFactory);
        app.Map(new PathString("/healthcheck"), branch => branch.Run(health.HandleAsync));
        app.Map(new PathString(EchoEndpoint.PathPrefix), branch => branch.Run(echo.HandleAsync));
        app.Map(new PathString("/app"), branch => branch.Run(engine.HandleAsync));
        app.MapWhen(EngineSocketEndpoint.IsGlobalContextSocket, branch => branch.Run(engine.HandleAsync));
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });

        return new EngineHost(app, journal, sockets);
    }
}
