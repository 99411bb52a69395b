using Portico.Admin;
using Portico.Audit;
using Portico.Authentication;
using Portico.Configuration;
using Portico.Csrf;
using Portico.Http;

namespace Portico.WebConsole;

/// <summary>The admin API's endpoints as the console mounts them under <c>/{prefix}/console/api/</c>: a pipeline built once at start.</summary>
internal sealed record ConsoleApi(RequestDelegate Invoke);

/// <summary>
/// The web console at <c>/{prefix}/console/</c> of the virtual proxy <c>console.virtualProxy</c>
/// names (docs/console.md). It runs after authentication, CSRF and the challenge, so only signed-in
/// users reach it; it admits the admins <see cref="ConsoleAccess"/> names, serves them the static
/// files and the admin API under <c>api/</c> (writes need the session's qlik-csrf-token), and
/// refuses everyone else with 403. Requests of other virtual proxies, and other paths, go on.
/// </summary>
internal sealed partial class ConsoleMiddleware(RequestDelegate next, ConsoleApi api, ConsoleFiles files, LoginSessions logins, ConfigSnapshotStore snapshots, AuditLog audit, ILogger<ConsoleMiddleware> logger)
{
    public const string Segment = "/console";
    private const string ApiSegment = "api/";

    /// <summary>Pages that are never framed, run only Portico's own scripts and styles, and talk only to Portico.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var console = snapshots.Current.Config.Console;
        if (console is null || !IsConsolePath(context.Request.Path, out var rest))
        {
            return next(context);
        }

        var state = PorticoRequest.Of(context);
        if (!string.Equals(state.VirtualProxy.Prefix, console.VirtualProxy, StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        SetHeaders(context, state);
        if (rest is null)
        {
            // Relative URLs in the page resolve against /console/, so the folder form is the one served.
            context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            context.Response.Headers.Location = context.Request.PathBase.Add(Segment + "/").ToUriComponent() + context.Request.QueryString.ToUriComponent();
            return Task.CompletedTask;
        }

        var outcome = state.AuthenticationOutcome;
        var user = outcome.Session?.User ?? outcome.Pending?.User;
        var verdict = ConsoleAccess.Judge(user, console);
        if (!verdict.Admitted)
        {
            return RefuseAsync(context, state, user, verdict, isApi: rest.StartsWith(ApiSegment, StringComparison.Ordinal));
        }

        return AdmittedAsync(context, state, user!, rest);
    }

    private async Task AdmittedAsync(HttpContext context, PorticoRequest state, AuthenticatedUser user, string rest)
    {
        // A login that arrived with this request (a bearer token, a trusted header) gets its session
        // now, so the page's own calls carry its cookie and can fetch its CSRF token.
        if (await logins.EnsureAsync(context) is null)
        {
            return;
        }

        if (rest.StartsWith(ApiSegment, StringComparison.Ordinal))
        {
            await ApiAsync(context, state, user, rest[(ApiSegment.Length - 1)..]);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "method_not_allowed", "The console's files are read with GET.");
            return;
        }

        if (files.Find(rest) is not { } file)
        {
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status404NotFound, "not_found", "The console has no file at this path.");
            return;
        }

        context.Response.ContentType = file.ContentType;
        context.Response.ContentLength = file.Content.Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(file.Content, context.RequestAborted);
        }
    }

    private async Task ApiAsync(HttpContext context, PorticoRequest state, AuthenticatedUser user, string apiPath)
    {
        // Every change through the console needs the session's token, whatever else the request shows:
        // the page always has it (GET qps/csrftoken), and a forged request from another page cannot.
        var method = context.Request.Method;
        if (!(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)) && !state.CsrfTokenMatched)
        {
            var decision = CsrfDecision.Deny("console change without the session's qlik-csrf-token", CsrfRefusalCode.SessionToken);
            Log.CsrfRefused(logger, state.VirtualProxy.DisplayName, method);
            audit.Refused(AuditEvents.CsrfRefused(context, state.VirtualProxy.Prefix, decision, state.AuthenticationOutcome.Session));
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "csrf", $"Request refused: {decision.Reason}.", decision.Code);
            return;
        }

        AdminCaller.ForConsole(user.UserDirectory + "\\" + user.UserId).Attach(context);
        var pathBase = context.Request.PathBase;
        var path = context.Request.Path;
        context.Request.PathBase = pathBase.Add(Segment + "/api");
        context.Request.Path = new PathString(apiPath);
        try
        {
            await api.Invoke(context);
        }
        finally
        {
            context.Request.PathBase = pathBase;
            context.Request.Path = path;
        }
    }

    private Task RefuseAsync(HttpContext context, PorticoRequest state, AuthenticatedUser? user, ConsoleVerdict verdict, bool isApi)
    {
        Log.Refused(logger, state.VirtualProxy.DisplayName, verdict.Code);
        audit.Refused(AuditEvent.ForRequest(context, AuditCodes.AdminRefused, AuditOutcome.Failure, state.VirtualProxy.Prefix) with
        {
            Reason = verdict.Code,
            Detail = "console: " + verdict.Reason,
            UserDirectory = user?.UserDirectory,
            UserId = user?.UserId,
        });

        const string Message = "You are signed in, but not as an administrator of this Portico: ask an admin to add you to console.adminUsers or console.adminGroups.";
        if (isApi)
        {
            return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "forbidden", Message, verdict.Code);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.Headers.Remove("Set-Cookie");
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not an administrator</title></head>"
            + "<body><h1>Not an administrator</h1><p>" + System.Net.WebUtility.HtmlEncode(Message) + "</p></body></html>",
            context.RequestAborted);
    }

    /// <param name="rest">The path below /console/ ("" for the index), or null for "/console" itself.</param>
    private static bool IsConsolePath(PathString path, out string? rest)
    {
        rest = null;
        var value = path.Value;
        if (value is null || !value.StartsWith(Segment, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (value.Length == Segment.Length)
        {
            return true;
        }

        if (value[Segment.Length] != '/')
        {
            return false;
        }

        rest = value[(Segment.Length + 1)..];
        return true;
    }

    /// <summary>On every console answer, refusals included, applied after the virtual proxy's own headers (docs/console.md).</summary>
    private static readonly KeyValuePair<string, string>[] Headers =
    [
        new("Content-Security-Policy", ContentSecurityPolicy),
        new("X-Frame-Options", "DENY"),
        new("Cache-Control", "no-store"),
        new("X-Content-Type-Options", "nosniff"),
        new("Referrer-Policy", "same-origin"),
    ];

    private static void SetHeaders(HttpContext context, PorticoRequest state)
    {
        state.OwnPageHeaders = Headers;
        foreach (var (name, value) in Headers)
        {
            context.Response.Headers[name] = value;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(14101, LogLevel.Warning, "Console on virtual proxy {VirtualProxy} refused a signed-in user: {Reason}.")]
        public static partial void Refused(ILogger logger, string virtualProxy, string reason);

        [LoggerMessage(14102, LogLevel.Warning, "Console on virtual proxy {VirtualProxy} refused a {Method} without the session's qlik-csrf-token.")]
        public static partial void CsrfRefused(ILogger logger, string virtualProxy, string method);
    }
}
