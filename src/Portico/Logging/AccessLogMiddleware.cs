using Portico.Authentication;
using Portico.Configuration;
using Portico.Http;
using Portico.Listeners;
using Yarp.ReverseProxy.Forwarder;

namespace Portico.Logging;

/// <summary>
/// The access log: one line per request in the <c>Portico.Access</c> category, written when the
/// request ends, Portico's own refusals and redirects included (it runs first). A WebSocket's line
/// comes when the socket has closed and says how long it was open and who closed it. When the
/// access log is off (<c>logging.accessLog.enabled</c>) or its category is filtered out, a request
/// costs one check. The ops listener's health probes and metric scrapes are not logged: they come
/// every few seconds from the platform and would bury the requests of users. See
/// docs/operations.md, "Access log".
/// </summary>
internal sealed partial class AccessLogMiddleware(RequestDelegate next, ConfigSnapshotStore snapshots, BoundListeners listeners, TimeProvider time, ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger(PorticoLogging.AccessCategory);

    public Task InvokeAsync(HttpContext context) =>
        snapshots.Current.Config.Logging.AccessLog.Enabled && _logger.IsEnabled(LogLevel.Information) && listeners.KindOf(context) != ListenerKind.Ops
            ? LogAsync(context)
            : next(context);

    private async Task LogAsync(HttpContext context)
    {
        var started = time.GetTimestamp();

        // As the client sent them: later steps cut tokens from the path and tickets from the query.
        var path = context.Request.Path.Value ?? "";
        var query = context.Request.QueryString.Value;
        var body = CountingResponseBody.Install(context);
        var socket = WebSocketRequests.MayUpgrade(context) ? SocketAccessRecord.Install(context, time) : null;
        var failed = true;
        try
        {
            await next(context);
            failed = false;
        }
        finally
        {
            Write(context, path, query, started, body, socket, failed);
        }
    }

    private void Write(HttpContext context, string path, string? query, long started, CountingResponseBody? body, SocketAccessRecord? socket, bool failed)
    {
        // An exception before the response started becomes Kestrel's 500.
        var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
        var durationMs = time.GetElapsedTime(started).TotalMilliseconds;
        var bytes = (body?.BytesWritten ?? 0) + (socket?.BytesToClient ?? 0);
        var where = Where(context);
        var user = User(context);
        if (socket is { Opened: true })
        {
            var closer = SocketCloserDecision.Decide(
                socket.FirstClose,
                socket.PorticoReason is not null,
                context.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None,
                context.RequestAborted.IsCancellationRequested);
            var closedBy = closer == SocketCloser.Portico
                ? $"portico ({LogValues.Escape(socket.PorticoReason)})"
                : SocketCloserDecision.Name(closer);
            Log.WebSocket(_logger, where, context.Request.Method, AccessLogTarget.Path(path), AccessLogTarget.Query(query), status, durationMs, bytes, user,
                time.GetElapsedTime(socket.OpenedAt).TotalSeconds, closedBy);
        }
        else
        {
            Log.Request(_logger, where, context.Request.Method, AccessLogTarget.Path(path), AccessLogTarget.Query(query), status, durationMs, bytes, user);
        }
    }

    /// <summary>The virtual proxy, or for requests that reached none, the listener's name in parentheses.</summary>
    private string Where(HttpContext context) => PorticoRequest.Find(context) is { } request
        ? request.VirtualProxy.DisplayName
        : listeners.KindOf(context) switch
        {
            ListenerKind.Http => "(http)",
            ListenerKind.QpsApi => "(qps-api)",
            ListenerKind.QrsApi => "(qrs-api)",
            _ => "-",
        };

    private static string User(HttpContext context) => PorticoRequest.Find(context)?.Authentication switch
    {
        { Session.User: { } user } => Format(user),
        { Pending.User: { } user } => Format(user),
        _ => "-",
    };

    private static string Format(AuthenticatedUser user) => LogValues.Escape(user.UserDirectory) + "\\" + LogValues.Escape(user.UserId);

    private static partial class Log
    {
        [LoggerMessage(9001, LogLevel.Information, "{VirtualProxy} {Method} {Path}{Query} {Status} {DurationMs:0.0}ms {BytesSent}B user={User}")]
        public static partial void Request(ILogger logger, string virtualProxy, string method, string path, string query, int status, double durationMs, long bytesSent, string user);

        [LoggerMessage(9002, LogLevel.Information, "{VirtualProxy} {Method} {Path}{Query} {Status} {DurationMs:0.0}ms {BytesSent}B user={User} socket={SocketSeconds:0.0}s closedBy={ClosedBy}")]
        public static partial void WebSocket(ILogger logger, string virtualProxy, string method, string path, string query, int status, double durationMs, long bytesSent, string user, double socketSeconds, string closedBy);
    }
}
