using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

// A minimal YARP host: one route, one cluster, no transforms, no affinity, no health checks.
// It is hosted like Portico (empty builder, Kestrel core) so the difference between the two is
// Portico's own work. It forwards to the engine the way Portico does (HTTP/1.1 only, same
// activity timeout), because those settings decide the wire traffic, not features.
//   BareYarp --http PORT --https PORT --backend URL --cert PEM --key PEM
var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = args });
builder.Configuration.AddCommandLine(args);
var settings = builder.Configuration;
var certificate = X509Certificate2.CreateFromPemFile(settings["cert"]!, settings["key"]!);

builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, int.Parse(settings["http"]!, CultureInfo.InvariantCulture));
    kestrel.Listen(IPAddress.Loopback, int.Parse(settings["https"]!, CultureInfo.InvariantCulture), o => o.UseHttps(certificate));
});
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
// As in Portico: no per-request Activity (and so no traceparent on engine requests), which ASP.NET
// Core otherwise starts whenever this category can log at all.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

RouteConfig[] routes = [new() { RouteId = "all", ClusterId = "backend", Match = new RouteMatch { Path = "/{**remainder}" } }];
ClusterConfig[] clusters =
[
    new()
    {
        ClusterId = "backend",
        Destinations = new Dictionary<string, DestinationConfig> { ["backend"] = new() { Address = settings["backend"]! } },
        HttpRequest = new ForwarderRequestConfig
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            ActivityTimeout = TimeSpan.FromMinutes(2),
        },
    },
];
// As in Portico: with the runtime's inline socket I/O on, Kestrel runs requests on the same threads.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1")
{
    builder.Services.Configure<SocketTransportOptions>(o => o.UnsafePreferInlineScheduling = true);
}

builder.Services.AddRouting();
builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);

var app = builder.Build();
app.UseRouting();
app.MapReverseProxy();
await app.RunAsync();
