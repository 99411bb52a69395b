using Portico.Http;

namespace Portico.Cluster;

/// <summary>
/// The cluster database could not be reached for something that must be written through (a login,
/// a logout, a ticket) or looked up (a session this node does not hold). Answered with 503: nothing
/// is decided without the store of record.
/// </summary>
internal sealed class SharedStoreUnavailableException : Exception
{
    public SharedStoreUnavailableException()
        : this("The cluster database cannot be reached.")
    {
    }

    public SharedStoreUnavailableException(string message)
        : base(message)
    {
    }

    public SharedStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What the 503 tells the client instead of the general message (e.g. for an admin API write).</summary>
    public string? ClientMessage { get; init; }
}

/// <summary>The node could not start in cluster mode (no database, no schema): said in one line, without a stack trace.</summary>
internal sealed class ClusterStartException(string message, Exception innerException) : Exception(message, innerException);

/// <summary>Turns <see cref="SharedStoreUnavailableException"/> into a 503 with a clear message, on every listener.</summary>
internal sealed partial class SharedStoreUnavailableMiddleware(RequestDelegate next, ILogger<SharedStoreUnavailableMiddleware> logger)
{
    public const string Message = "The cluster database cannot be reached: logins, logouts, ticket redemptions and sessions this node does not hold are refused until it returns; sessions this node holds keep working.";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (SharedStoreUnavailableException ex) when (!context.Response.HasStarted)
        {
            // Debug only: anyone can make a request while the database is down; the loss itself is logged once by ClusterDatabase.
            Log.Refused(logger, context.Request.Path.Value ?? "");
            context.Response.Clear();
            context.Response.Headers.RetryAfter = "5";
            context.Response.Headers.CacheControl = "no-store";
            await PorticoResponse.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "database_unavailable", ex.ClientMessage ?? Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(12010, LogLevel.Debug, "Request to {Path} refused with 503: the cluster database cannot be reached.")]
        public static partial void Refused(ILogger logger, string path);
    }
}
