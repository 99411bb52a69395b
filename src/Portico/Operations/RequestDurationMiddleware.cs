using System.Diagnostics;
using Portico.Http;

namespace Portico.Operations;

/// <summary>
/// Measures each HTTPS request from the start of Portico's pipeline to the end of its answer, and
/// records it under the virtual proxy step 1 chose (requests refused before that have none and are
/// not measured). WebSocket upgrades are left out: a socket lives as long as its session, and
/// <c>portico.websockets.open</c> counts them instead.
/// </summary>
internal sealed class RequestDurationMiddleware(RequestDelegate next, PorticoMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!metrics.MeasuresRequests || WebSocketRequests.MayUpgrade(context))
        {
            return next(context);
        }

        var start = Stopwatch.GetTimestamp();
        var pending = next(context);
        if (pending.IsCompletedSuccessfully)
        {
            Record(context, start);
            return Task.CompletedTask;
        }

        return RecordWhenCompleteAsync(pending, context, start);
    }

    private async Task RecordWhenCompleteAsync(Task pending, HttpContext context, long start)
    {
        try
        {
            await pending;
        }
        finally
        {
            Record(context, start);
        }
    }

    private void Record(HttpContext context, long start)
    {
        if (PorticoRequest.Find(context) is { } request)
        {
            metrics.RequestCompleted(request.VirtualProxy.DisplayName, start);
        }
    }
}
