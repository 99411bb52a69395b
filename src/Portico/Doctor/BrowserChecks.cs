using System.Net;
using System.Net.Security;
using System.Net.WebSockets;

namespace Portico.Doctor;

/// <summary>
/// The checks a browser's page on another origin depends on, run against one virtual proxy URL the
/// way the browser would: the CORS preflight, the token readable through CORS, and the WebSocket
/// upgrade from that origin. Shared by <c>portico doctor</c> (<see cref="DeploymentDoctor"/>) and the
/// admin API's origin check (<see cref="OriginCheckRunner"/>).
/// </summary>
/// <param name="bearer">A JWT to log in with; null for none.</param>
/// <param name="cookie">A session cookie ("Name=value"); null for none.</param>
internal sealed class BrowserChecks(Uri virtualProxyUrl, DoctorTrust trust, string? bearer = null, string? cookie = null)
{
    public string BaseUrl { get; } = virtualProxyUrl.ToString().TrimEnd('/');

    public bool HasCredential => bearer is not null || cookie is not null;

    public HttpClient CreateClient(TimeSpan timeout) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, certificate, _, errors) => trust.Validate(certificate, errors) },
    })
    {
        Timeout = timeout,
    };

    /// <summary>The preflight a page on <paramref name="origin"/> sends before a credentialed call: it must name that origin.</summary>
    public async Task<DoctorCheck> PreflightAsync(HttpClient http, string origin, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, BaseUrl + "/qps/csrftoken");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        var (response, failure) = await TrySendAsync(http, request, cancellationToken);
        using var disposeResponse = response;
        if (response is null)
        {
            return DoctorCheck.CouldNotRun("CORS preflight", $"OPTIONS qps/csrftoken got no answer: {failure}");
        }

        var allowOrigin = Values(response, "Access-Control-Allow-Origin");
        if (response.StatusCode == HttpStatusCode.NoContent && allowOrigin.Count == 1 && allowOrigin[0] == origin)
        {
            return new("CORS preflight", DoctorVerdict.Pass, $"204, Access-Control-Allow-Origin: {origin}");
        }

        return new("CORS preflight", DoctorVerdict.Fail, $"answered {Status(response)} with Access-Control-Allow-Origin [{string.Join(" | ", allowOrigin)}]; add {origin} to websocketCrossOriginWhiteList");
    }

    /// <summary>The CORS headers of an answer to <paramref name="origin"/>: without them its page cannot read the qlik-csrf-token header.</summary>
    public static DoctorCheck CorsHeaders(HttpResponseMessage response, string origin)
    {
        var allowOrigin = Values(response, "Access-Control-Allow-Origin");
        var problems = new List<string>();
        if (allowOrigin.Count != 1 || allowOrigin[0] != origin)
        {
            problems.Add($"Access-Control-Allow-Origin is [{string.Join(" | ", allowOrigin)}], browsers need exactly \"{origin}\"");
        }

        if (!Values(response, "Access-Control-Allow-Credentials").SequenceEqual(["true"]))
        {
            problems.Add("Access-Control-Allow-Credentials must be exactly \"true\"");
        }

        if (!Values(response, "Access-Control-Expose-Headers").Any(v => v.Contains("qlik-csrf-token", StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add("Access-Control-Expose-Headers must include qlik-csrf-token, or the page cannot read the token");
        }

        if (!Values(response, "Vary").Any(v => v.Contains("Origin", StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add("Vary: Origin is missing, so a cache may serve one site's answer to another");
        }

        return problems.Count == 0
            ? new("CORS headers", DoctorVerdict.Pass, $"one origin echoed, credentials allowed, qlik-csrf-token exposed, Vary: Origin")
            : new("CORS headers", DoctorVerdict.Fail, string.Join("; ", problems));
    }

    /// <summary>
    /// A WebSocket upgrade to the engine path from <paramref name="origin"/>. Expected accepted: it
    /// passes when the upgrade is (101). Expected refused: only the origin check's 403 passes.
    /// </summary>
    public async Task<DoctorCheck> WebSocketAsync(string? origin, string? token, bool expectAccepted, CancellationToken cancellationToken)
    {
        var name = expectAccepted ? "WebSocket with token" : "WebSocket from a stranger";
        var url = new UriBuilder(virtualProxyUrl) { Scheme = "wss" }.Uri.ToString().TrimEnd('/') + "/app/engineData"
            + (token is null ? "" : "?qlik-csrf-token=" + Uri.EscapeDataString(token));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => trust.Validate(certificate, errors);
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        AddCredential(socket.Options.SetRequestHeader);
        try
        {
            await socket.ConnectAsync(new Uri(url), cancellationToken);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "doctor", CancellationToken.None);
            return expectAccepted
                ? new(name, DoctorVerdict.Pass, "upgrade accepted (101)")
                : new(name, DoctorVerdict.Fail, $"an upgrade from {origin} with the user's credential was accepted: cross-site WebSocket hijacking is possible");
        }
        catch (Exception ex) when (ex is WebSocketException or TaskCanceledException or OperationCanceledException)
        {
            var status = (int)socket.HttpStatusCode;
            if (status == 0)
            {
                // No HTTP answer at all (no connection, TLS failed): nothing was refused or granted.
                return DoctorCheck.CouldNotRun(name, $"{url.Split('?')[0]} was not reached: {Reason(ex)}");
            }

            if (expectAccepted)
            {
                return new(name, DoctorVerdict.Fail, $"upgrade refused ({status}); check that {origin ?? "the page's origin"} is in websocketCrossOriginWhiteList and the token is sent as qlik-csrf-token");
            }

            // Only the origin check's 403 shows that strangers are refused; a 401, 404 or 502 says
            // the request stopped somewhere else, before the origin was judged.
            return status == 403
                ? new(name, DoctorVerdict.Pass, "refused (403)")
                : DoctorCheck.CouldNotRun(name, $"the upgrade was answered {status}, not the 403 of a refused origin, so the origin check was not reached; check the URL and that the engine is up");
        }
    }

    public async Task<(HttpResponseMessage? Response, string? Failure)> SendAsync(HttpClient http, HttpMethod method, string url, string? origin, bool withCredential, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, url);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (withCredential)
        {
            AddCredential(request.Headers.Add);
        }

        return await TrySendAsync(http, request, cancellationToken);
    }

    private void AddCredential(Action<string, string> setHeader)
    {
        if (bearer is not null)
        {
            setHeader("Authorization", "Bearer " + bearer);
        }

        if (cookie is not null)
        {
            setHeader("Cookie", cookie);
        }
    }

    private static async Task<(HttpResponseMessage? Response, string? Failure)> TrySendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return (await http.SendAsync(request, cancellationToken), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (null, Reason(ex));
        }
    }

    /// <summary>Why a connection failed, innermost cause included (a TLS failure's reason is two levels down).</summary>
    public static string Reason(Exception ex)
    {
        if (ex is TaskCanceledException)
        {
            return "no answer in time";
        }

        var messages = new List<string>();
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            var message = e.Message.Replace(", see inner exception", "", StringComparison.Ordinal).TrimEnd('.');
            if (message.Length > 0 && !messages.Contains(message))
            {
                messages.Add(message);
            }
        }

        return string.Join(": ", messages);
    }

    public static string Status(HttpResponseMessage response) => ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static List<string> Values(HttpResponseMessage? response, string name) =>
        response is not null && (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            ? values.SelectMany(v => new[] { v }).ToList()
            : [];
}
