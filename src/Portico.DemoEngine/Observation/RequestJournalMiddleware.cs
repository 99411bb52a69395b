using Microsoft.AspNetCore.Http;

namespace Portico.DemoEngine.Observation;

/// <summary>Records every request before anything else can reject it, so refused requests are observable too.</summary>
internal sealed class RequestJournalMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RequestJournal _journal;

    public RequestJournalMiddleware(RequestDelegate next, RequestJournal journal)
    {
        _next = next;
        _journal = journal;
    }

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        _journal.Add(new ObservedRequest(
            request.Method,
            request.PathBase.Add(request.Path).Value ?? "/",
            request.QueryString.Value ?? string.Empty,
            HeaderSnapshot.Capture(request.Headers),
            context.WebSockets.IsWebSocketRequest));
        return _next(context);
    }
}
