using System.Security.Cryptography;
using Portico.Configuration;
using Portico.Http;
using Portico.VirtualProxies;

namespace Portico.Authentication;

/// <summary>
/// Step 5: decides who the request acts for. Anonymous virtual proxies admit every request as a
/// fresh anonymous user; any other virtual proxy refuses a request that carries no credential.
/// </summary>
internal sealed partial class AuthenticationMiddleware(RequestDelegate next, ILogger<AuthenticationMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var virtualProxy = context.Features.GetRequiredFeature<VirtualProxyFeature>().VirtualProxy;
        if (virtualProxy.Config.AnonymousAccessMode != AnonymousAccessMode.NoAnonymousUser)
        {
            context.Features.Set(new AuthenticatedUserFeature(NewAnonymousUser()));
            return next(context);
        }

        Log.Unauthenticated(logger, virtualProxy.DisplayName, virtualProxy.Config.AuthenticationMethod);
        return PorticoResponse.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthenticated",
            $"Virtual proxy '{virtualProxy.DisplayName}' requires authentication ({virtualProxy.Config.AuthenticationMethod}) and the request carried no credential it accepts.");
    }

    private static AuthenticatedUser NewAnonymousUser() =>
        new(AuthenticatedUser.AnonymousDirectory, "anon-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));

    private static partial class Log
    {
        [LoggerMessage(5001, LogLevel.Information, "Request to virtual proxy {VirtualProxy} refused: no accepted credential (method {Method}).")]
        public static partial void Unauthenticated(ILogger logger, string virtualProxy, AuthenticationMethod method);
    }
}
