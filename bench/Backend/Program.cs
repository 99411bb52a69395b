using System.Net;
using System.Security.Cryptography.X509Certificates;
using Portico.Bench.Backend;

// The destination behind every proxy under test. It does as little as possible so that the proxy,
// not the backend, sets the numbers: a fixed answer on any path, a WebSocket echo under /app/, and
// /healthcheck for Portico's active health checks. Portico's identity headers are simply ignored.
//   Backend --http PORT --https PORT --cert PEM --key PEM
var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = args });
builder.Configuration.AddCommandLine(args);
var settings = builder.Configuration;
var certificate = X509Certificate2.CreateFromPemFile(settings["cert"]!, settings["key"]!);

builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, int.Parse(settings["http"]!, System.Globalization.CultureInfo.InvariantCulture));
    // TLS too, so "direct" is also the physical limit of the wss:// and https:// scenarios.
    kestrel.Listen(IPAddress.Loopback, int.Parse(settings["https"]!, System.Globalization.CultureInfo.InvariantCulture), o => o.UseHttps(certificate));
});
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);

var app = builder.Build();
app.UseWebSockets();
app.Run(BackendHandler.HandleAsync);
await app.RunAsync();
