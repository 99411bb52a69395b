using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Portico.Samples.Mashup;

/// <summary>
/// The mashup's web server: the page (index.html, mashup.js, enigma.js and its schema), the
/// settings the page reads, and the two ways the back end vouches for its signed-in user towards
/// Portico: <c>POST /token</c> signs a short-lived JWT, <c>POST /ticket</c> asks Portico's QPS API
/// for a one-time ticket over mutual TLS. The browser never sees a key or a client certificate.
/// </summary>
public static class MashupBackEnd
{
    /// <summary>Builds the web server; <paramref name="listen"/> binds its HTTPS endpoint(s).</summary>
    public static WebApplication Build(MashupOptions options, Action<KestrelServerOptions> listen, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = options.SiteDirectory });
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration().ConfigureKestrel(listen);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        builder.Services.AddRouting();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<QpsTicketClient>();
        var app = builder.Build();
        Map(app, options);
        return app;
    }

    /// <summary>Maps the page and the back end's endpoints onto <paramref name="app"/>.</summary>
    public static void Map(WebApplication app, MashupOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        app.Use((context, next) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return next(context);
        });

        // Only these files are served: nothing else from the folder can be reached.
        app.MapGet("/", () => Results.File(Path.Combine(options.SiteDirectory, "index.html"), "text/html; charset=utf-8"));
        app.MapGet("/mashup.js", () => Results.File(Path.Combine(options.SiteDirectory, "mashup.js"), "text/javascript; charset=utf-8"));
        app.MapGet("/enigma.min.js", () => Results.File(options.EnigmaScriptPath, "text/javascript; charset=utf-8"));
        app.MapGet("/schema.json", () => Results.File(options.EnigmaSchemaPath, "application/json"));
        app.MapGet("/settings", () => Results.Json(new
        {
            porticoUrl = options.PorticoUrl.GetLeftPart(UriPartial.Authority),
            jwtPrefix = options.JwtPrefix,
            ticketPrefix = options.TicketPrefix,
            appId = options.AppId,
        }));

        // A real back end checks its own login (its session cookie) here before vouching for anyone.
        app.MapPost("/token", () => Results.Text(SignJwt(options, DateTimeOffset.UtcNow), "application/jwt"));
        app.MapPost("/ticket", async (QpsTicketClient qps, CancellationToken cancellationToken) =>
            options.QpsApiUrl is null
                ? Results.Problem("This mashup has no QPS API configured.", statusCode: StatusCodes.Status501NotImplemented)
                : Results.Json(new { ticket = await qps.TicketAsync(cancellationToken) }));
    }

    /// <summary>An RS256 JWT with the claims the virtual proxy maps (jwtAttributeUserId / jwtAttributeUserDirectory), valid for 5 minutes.</summary>
    public static string SignJwt(MashupOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var key = RSA.Create();
        key.ImportFromPem(options.JwtPrivateKeyPem);
        var header = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT" }));
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new
        {
            userId = options.UserId,
            userDirectory = options.UserDirectory,
            aud = options.JwtAudience,
            iat = now.ToUnixTimeSeconds(),
            exp = now.AddMinutes(5).ToUnixTimeSeconds(),
        }));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + Base64Url.EncodeToString(signature);
    }
}
