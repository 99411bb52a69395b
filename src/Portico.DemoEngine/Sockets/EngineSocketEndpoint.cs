using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Portico.DemoEngine.Identity;
using Portico.DemoEngine.JsonRpc;
using Portico.DemoEngine.Qix;

namespace Portico.DemoEngine.Sockets;

/// <summary>
/// The engine WebSocket at <c>/app/...</c> and at <c>/</c> (the global context): authenticates from
/// the proxy's header, then shuttles frames between the socket and <see cref="QixDispatcher"/>.
/// Protocol decisions live in the dispatcher; this class only owns the socket's lifetime.
/// </summary>
internal sealed partial class EngineSocketEndpoint
{
    /// <summary>Messages above this are refused with close code 1009, as a real engine would rather than buffer without end.</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly QixDispatcher _dispatcher;
    private readonly SocketRegistry _registry;
    private readonly CancellationToken _stopping;
    private readonly ILogger _logger;

    public EngineSocketEndpoint(QixDispatcher dispatcher, SocketRegistry registry, ILogger<EngineSocketEndpoint> logger, CancellationToken stopping)
    {
        _dispatcher = dispatcher;
        _registry = registry;
        _stopping = stopping;
        _logger = logger;
    }

    /// <summary>
    /// A WebSocket at the root is a session on the global context, as on a Qlik engine. A plain HTTP
    /// request to the root is not routed here: it gets the landing page (see LandingPageEndpoint) or a 404.
    /// </summary>
    public static bool IsGlobalContextSocket(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Path == "/" && context.WebSockets.IsWebSocketRequest;
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget
            ?? context.Request.PathBase.Add(context.Request.Path).ToUriComponent();
        if (!EngineSocketPath.TryParse(rawTarget, out var appId) || !context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = context.WebSockets.IsWebSocketRequest ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
            return;
        }

        var headerValues = context.Request.Headers[QlikUser.HeaderName];
        QlikUser? user = null;
        var authenticated = headerValues.Count == 1 && QlikUser.TryParse(headerValues[0], out user);

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var registration = _registry.Register(user, () =>
        {
            socket.Abort();
            context.Abort();
        });
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);

        try
        {
            if (!authenticated)
            {
                await RefuseAsync(socket, headerValues.Count == 0, cancellation.Token).ConfigureAwait(false);
                return;
            }

            var connection = _dispatcher.CreateConnection(user!, appId);
            registration.Connection = connection;
            // As a JSON string: a decoded CR or LF in a user id cannot start a line of its own.
            Log.SocketOpened(_logger, System.Text.Json.JsonSerializer.Serialize(user!.ToString()), appId ?? "(global context)");

            await SendAsync(socket, RpcMessages.Notification("OnConnected", new JsonObject { ["qSessionState"] = "SESSION_CREATED" }), cancellation.Token).ConfigureAwait(false);
            await RunAsync(socket, connection, cancellation.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The client vanished or the engine is stopping: both end the connection, neither is an engine fault.
            Log.SocketDropped(_logger, error.GetType().Name, error.Message);
        }
        finally
        {
            Log.SocketClosed(_logger, socket.CloseStatus is { } status ? (int)status : null);
        }
    }

    private async Task RunAsync(WebSocket socket, QixConnection connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            message.SetLength(0);
            ValueWebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (message.Length + received.Count > MaxMessageBytes)
                {
                    Log.MessageTooBig(_logger, MaxMessageBytes);
                    await CloseAsync(socket, WebSocketCloseStatus.MessageTooBig, "Message too big", cancellationToken).ConfigureAwait(false);
                    return;
                }

                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);

            _registry.CountCall();
            var reply = received.MessageType == WebSocketMessageType.Binary
                ? RpcMessages.ParseError("Binary frames are not supported")
                : _dispatcher.Dispatch(message.GetBuffer().AsMemory(0, (int)message.Length), connection);
            if (reply is not null)
            {
                await SendAsync(socket, reply, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Accepts, explains, then closes with 1008: rejecting the upgrade itself would leave a client
    /// with a bare HTTP status, while Qlik clients expect to learn the reason on the socket.
    /// </summary>
    private async Task RefuseAsync(WebSocket socket, bool headerMissing, CancellationToken cancellationToken)
    {
        var reason = headerMissing
            ? "No X-Qlik-User header: the engine accepts connections only through the proxy."
            : "Invalid X-Qlik-User header: expected exactly one 'UserDirectory=<dir>; UserId=<id>'.";
        Log.SocketRefused(_logger, reason);

        await SendAsync(
            socket,
            RpcMessages.Notification("OnAuthenticationInformation", new JsonObject { ["mustAuthenticate"] = true, ["reason"] = reason }),
            cancellationToken).ConfigureAwait(false);
        await CloseAsync(
            socket,
            WebSocketCloseStatus.PolicyViolation,
            headerMissing ? "X-Qlik-User header missing" : "X-Qlik-User header invalid",
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CloseHandshakeTimeout);
        await socket.CloseAsync(status, reason, timeout.Token).ConfigureAwait(false);
    }

    private static Task SendAsync(WebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Engine socket opened for {User} on app {AppId}")]
        public static partial void SocketOpened(ILogger logger, string user, string appId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Engine socket refused: {Reason}")]
        public static partial void SocketRefused(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Engine socket closed: message larger than {MaxBytes} bytes")]
        public static partial void MessageTooBig(ILogger logger, int maxBytes);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Engine socket dropped ({ErrorType}): {ErrorMessage}")]
        public static partial void SocketDropped(ILogger logger, string errorType, string errorMessage);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Engine socket ended with close status {CloseStatus}")]
        public static partial void SocketClosed(ILogger logger, int? closeStatus);
    }
}
