using Portico.Audit;
using Portico.Authentication;
using Portico.Configuration;
using Portico.Logging;
using Portico.Sessions;
using Portico.Tickets;
using Portico.VirtualProxies;

namespace Portico.QpsApi;

/// <summary>The QPS REST API: tickets, sessions and users of one virtual proxy, for trusted back ends.</summary>
internal sealed partial class QpsApiHandlers(ConfigSnapshotStore snapshots, TicketStore tickets, TargetStore targets, SessionManager sessions, AuditLog audit, ILogger<QpsApiHandlers> logger)
{
    public async Task<IResult> IssueTicketAsync(HttpContext context, string prefix)
    {
        if (Find(prefix) is not { } virtualProxy)
        {
            return UnknownVirtualProxy(prefix);
        }

        var (request, error) = await QpsUserRequest.ReadAsync(context.Request, context.RequestAborted);
        if (request is null)
        {
            return Invalid(error!);
        }

        var ticketRequest = new TicketRequest
        {
            VirtualProxyPrefix = virtualProxy.Prefix,
            UserDirectory = request.UserDirectory,
            UserId = request.UserId,
            Attributes = request.Attributes,
            TargetId = request.TargetId,
        };
        if (await tickets.TryIssueAsync(ticketRequest, context.RequestAborted) is not { } ticket)
        {
            return Results.Json(new { error = "too_many_tickets", message = "Too many outstanding tickets; try again shortly." }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        Log.TicketIssued(logger, virtualProxy.DisplayName, LogValues.Escape(request.UserDirectory), LogValues.Escape(request.UserId));
        await audit.RecordAsync(AuditEvents.TicketIssued(context, virtualProxy.Prefix, request.UserDirectory, request.UserId));
        var targetUri = (await targets.ResolveAsync(request.TargetId, context.RequestAborted))?.ToString();
        return Results.Json(new
        {
            request.UserDirectory,
            request.UserId,
            Attributes = QpsJson.Attributes(request.Attributes),
            Ticket = ticket.Value,
            TargetUri = targetUri,
        }, QpsJson.Options, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> CreateSessionAsync(HttpContext context, string prefix)
    {
        if (Find(prefix) is not { } virtualProxy)
        {
            return UnknownVirtualProxy(prefix);
        }

        var (request, error) = await QpsUserRequest.ReadAsync(context.Request, context.RequestAborted);
        if (request is null)
        {
            return Invalid(error!);
        }

        if (request.SessionId is { } requestedId && !SessionIds.IsWellFormed(requestedId))
        {
            return Invalid($"SessionId must be {SessionIds.MinimumLength}-{SessionIds.MaximumLength} characters of A-Z a-z 0-9 - _ (a GUID or longer random value); omit it and Portico generates one");
        }

        var user = new AuthenticatedUser(request.UserDirectory, request.UserId) { Attributes = request.Attributes };
        var session = (await sessions.CreateAsync(virtualProxy, user, credentialKey: null, context.RequestAborted, request.SessionId)).Session;
        if (session is null)
        {
            audit.Refused(AuditEvents.LoginRefused(context, virtualProxy.Prefix, "session_api", Sessions.SessionRefusal.IdInUse, user));
            return Results.Json(new { error = "session_exists", message = "A session with this SessionId already exists; use a new id." }, statusCode: StatusCodes.Status409Conflict);
        }

        await audit.RecordAsync(AuditEvents.LoginSucceeded(context, virtualProxy.Prefix, "session_api", session));
        return Results.Json(QpsJson.Session(session), QpsJson.Options, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> GetSessionAsync(HttpContext context, string prefix, string sessionId)
    {
        if (Find(prefix) is not { } virtualProxy)
        {
            return UnknownVirtualProxy(prefix);
        }

        var session = SessionIds.IsWellFormed(sessionId) ? await sessions.ResolveAsync(virtualProxy, sessionId, context.RequestAborted) : null;
        return session is null ? NoSuchSession() : Results.Json(QpsJson.Session(session), QpsJson.Options);
    }

    public async Task<IResult> DeleteSessionAsync(HttpContext context, string prefix, string sessionId)
    {
        if (Find(prefix) is not { } virtualProxy)
        {
            return UnknownVirtualProxy(prefix);
        }

        var session = SessionIds.IsWellFormed(sessionId) ? await sessions.ResolveAsync(virtualProxy, sessionId, context.RequestAborted) : null;
        if (session is null)
        {
            return NoSuchSession();
        }

        await sessions.EndAsync(session.Id, SessionEndReason.AdminDeleted, context.RequestAborted);
        return Results.Json(QpsJson.Session(session), QpsJson.Options);
    }

    public async Task<IResult> GetUserSessionsAsync(HttpContext context, string prefix, string directory, string userId)
    {
        if (Find(prefix) is not { } virtualProxy)
        {
            return UnknownVirtualProxy(prefix);
        }

        var found = await sessions.FindUserSessionsAsync(virtualProxy, directory, userId, context.RequestAborted);
        return Results.Json(found.Select(QpsJson.Session).ToList(), QpsJson.Options);
    }

    public async Task<IResult> DeleteUserAsync(HttpContext context, string prefix, string directory, string userId)
    {
        if (Find(prefix) is not { } virtualProxy)
        {
            return UnknownVirtualProxy(prefix);
        }

        var ended = await sessions.EndUserAsync(virtualProxy.Prefix, directory, userId, SessionEndReason.UserTeardown, context.RequestAborted);
        return Results.Json(ended.Select(QpsJson.Session).ToList(), QpsJson.Options);
    }

    private VirtualProxy? Find(string prefix) => snapshots.Current.VirtualProxies.FindByPrefix(prefix);

    private static IResult UnknownVirtualProxy(string prefix) =>
        Results.Json(new { error = "no_virtual_proxy", message = $"No virtual proxy has the prefix '{prefix}'." }, statusCode: StatusCodes.Status404NotFound);

    private static IResult NoSuchSession() =>
        Results.Json(new { error = "no_session", message = "No live session with this id on this virtual proxy." }, statusCode: StatusCodes.Status404NotFound);

    private static IResult Invalid(string message) =>
        Results.Json(new { error = "invalid_request", message = "Request body refused: " + message + "." }, statusCode: StatusCodes.Status400BadRequest);

    private static partial class Log
    {
        [LoggerMessage(4002, LogLevel.Information, "Ticket issued on virtual proxy {VirtualProxy} for UserDirectory={UserDirectory}; UserId={UserId}.")]
        public static partial void TicketIssued(ILogger logger, string virtualProxy, string userDirectory, string userId);
    }
}
