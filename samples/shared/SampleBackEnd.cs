using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Portico.Samples;

/// <summary>
/// The web server every sample shares. It serves each <c>samples/&lt;method&gt;/</c> page at
/// <c>/&lt;method&gt;/</c> (with the shared page and flow from <c>shared/web/</c>, and the client
/// libraries from <c>samples/node_modules</c>), and does what a mashup's back end does for its
/// signed-in user: <c>POST /token</c> signs a short-lived JWT, <c>POST /ticket</c> and
/// <c>POST /session</c> call Portico's QPS API over mutual TLS, and <c>/front/…</c> fronts Portico
/// for header authentication. The browser never sees a key, a client certificate or the header.
/// </summary>
public static partial class SampleBackEnd
{
    /// <summary>Builds the web server; <paramref name="listen"/> binds its HTTPS endpoint(s).</summary>
    public static WebApplication Build(SampleOptions options, Action<KestrelServerOptions> listen, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = options.SamplesDirectory });
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration().ConfigureKestrel(listen);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        builder.Services.AddRouting();
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<QpsClient>();
        var app = builder.Build();
        Map(app, options);
        return app;
    }

    /// <summary>Maps the pages and the back end's endpoints onto <paramref name="app"/>.</summary>
    public static void Map(WebApplication app, SampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        app.Use((context, next) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return next(context);
        });

        MapPages(app, options);
        app.MapGet("/settings", () => Results.Json(new
        {
            porticoUrl = options.PorticoUrl.GetLeftPart(UriPartial.Authority),
            frontUrl = options.FrontUrl?.GetLeftPart(UriPartial.Authority),
            appId = options.AppId,
        }));

        // A real back end checks its own login (its session cookie) here before vouching for anyone.
        app.MapPost("/token", () => Results.Text(SignJwt(options, DateTimeOffset.UtcNow), "application/jwt"));
        app.MapPost("/ticket", async (QpsClient qps, CancellationToken cancellationToken) =>
            options.QpsApiUrl is null ? NoQpsApi() : Results.Json(new { ticket = await qps.TicketAsync(cancellationToken) }));

        // The session API: the back end creates the proxy session and hands the browser its cookie,
        // on Portico's domain, which this page's site shares (app.proxy.test sets it for proxy.test).
        app.MapPost("/session", async (HttpContext context, QpsClient qps, CancellationToken cancellationToken) =>
        {
            if (options.QpsApiUrl is null)
            {
                return NoQpsApi();
            }

            context.Response.Cookies.Append(options.SessionApiCookieName, await qps.SessionAsync(cancellationToken), new CookieOptions
            {
                Domain = options.SessionApiCookieDomain,
                Path = "/",
                Secure = true,
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
            });
            return Results.NoContent();
        });

        HeaderFront.Map(app, options);
    }

    /// <summary>An RS256 JWT with the claims the virtual proxy maps (jwtAttributeUserId / jwtAttributeUserDirectory), valid for 5 minutes.</summary>
    public static string SignJwt(SampleOptions options, DateTimeOffset now)
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

    /// <summary>
    /// Only these files are served, nothing else from the folders: a sample's <c>*.html</c>, <c>*.js</c>
    /// and <c>*.css</c> (its <c>index.html</c>, or the shared page), the shared page files, and the
    /// client libraries' browser builds.
    /// </summary>
    private static void MapPages(WebApplication app, SampleOptions options)
    {
        var web = Path.Combine(options.SamplesDirectory, "shared", "web");
        var packages = Path.GetFullPath(options.PackagesDirectory) + Path.DirectorySeparatorChar;
        app.MapGet("/", () => Results.Content(IndexPage(options), "text/html; charset=utf-8"));
        app.MapGet("/shared/{file}", (string file) => FileOrNotFound(web, file));
        app.MapGet("/lib/enigma.min.js", () => Results.File(Path.Combine(packages, "enigma.js", "enigma.min.js"), "text/javascript; charset=utf-8"));
        app.MapGet("/lib/schema.json", () => Results.File(Path.Combine(packages, "enigma.js", "schemas", "12.2027.0.json"), "application/json"));
        app.MapGet("/lib/stardust.js", () => Results.File(Path.Combine(packages, "@nebula.js", "stardust", "dist", "stardust.js"), "text/javascript; charset=utf-8"));
        // @qlik/api's ES modules, unbundled, exactly as npm installed them.
        app.MapGet("/lib/node_modules/{**file}", (string file) =>
        {
            var full = Path.GetFullPath(Path.Combine(packages, file));
            return full.StartsWith(packages, StringComparison.Ordinal) && full.EndsWith(".js", StringComparison.Ordinal) && File.Exists(full)
                ? Results.File(full, "text/javascript; charset=utf-8")
                : Results.NotFound();
        });
        app.MapGet("/{sample}/", (string sample) =>
            SampleDirectory(options, sample) is not { } directory ? Results.NotFound()
            : File.Exists(Path.Combine(directory, "index.html")) ? FileOrNotFound(directory, "index.html")
            : FileOrNotFound(web, "index.html"));
        app.MapGet("/{sample}/{file}", (string sample, string file) =>
            SampleDirectory(options, sample) is { } directory ? FileOrNotFound(directory, file) : Results.NotFound());
    }

    /// <summary><c>samples/&lt;sample&gt;/</c> when it is a sample with a page (shared/ and node_modules/ are not).</summary>
    private static string? SampleDirectory(SampleOptions options, string sample)
    {
        if (!SampleName().IsMatch(sample) || sample == "shared")
        {
            return null;
        }

        var directory = Path.Combine(options.SamplesDirectory, sample);
        return File.Exists(Path.Combine(directory, "page.js")) || File.Exists(Path.Combine(directory, "index.html")) ? directory : null;
    }

    private static IResult FileOrNotFound(string directory, string file)
    {
        var match = PageFile().Match(file);
        var path = Path.Combine(directory, file);
        if (!match.Success || !File.Exists(path))
        {
            return Results.NotFound();
        }

        return Results.File(path, match.Groups[1].Value switch
        {
            "html" => "text/html; charset=utf-8",
            "css" => "text/css; charset=utf-8",
            _ => "text/javascript; charset=utf-8",
        });
    }

    private static string IndexPage(SampleOptions options)
    {
        var samples = Directory.EnumerateDirectories(options.SamplesDirectory)
            .Select(Path.GetFileName)
            .Where(name => name is not null && SampleDirectory(options, name) is not null)
            .Order(StringComparer.Ordinal);
        var links = string.Concat(samples.Select(name => $"<li><a href=\"/{name}/\">{name}</a></li>"));
        return $"<!doctype html><meta charset=\"utf-8\"><title>Portico samples</title><h1>Portico samples</h1><ul>{links}</ul>";
    }

    private static IResult NoQpsApi() =>
        Results.Problem("This back end has no QPS API configured.", statusCode: StatusCodes.Status501NotImplemented);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,40}$")]
    private static partial Regex SampleName();

    [GeneratedRegex(@"^[a-z][a-z0-9-]{0,40}\.(html|js|css)$")]
    private static partial Regex PageFile();
}
