using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.WebSockets;

namespace Portico.Doctor;

/// <summary>
/// Checks a running deployment the way a browser would use it, without a browser: the checks Qlik's
/// article asks admins to do by hand in developer tools (HTTPS redirect, HSTS, one allowed origin
/// echoed, the token exposed, the WebSocket refused to strangers and granted with the token).
/// </summary>
internal sealed class DeploymentDoctor(DoctorOptions options)
{
    private DoctorTrust _trust = DoctorTrust.System;

    /// <summary>An origin no allow list should contain: the WebSocket must be refused for it.</summary>
    private const string StrangerOrigin = "https://portico-doctor.invalid";

    public async Task<IReadOnlyList<DoctorCheck>> RunAsync(CancellationToken cancellationToken)
    {
        if (options.CaFile is { } caFile)
        {
            // Every check below needs TLS: without the CA none of them could say anything true.
            if (DoctorTrust.FromCaFile(caFile, out var caError) is not { } trust)
            {
                return [new("CA file", DoctorVerdict.Fail, caError!)];
            }

            _trust = trust;
        }

        var checks = new List<DoctorCheck>();
        using var http = CreateClient();
        var baseUrl = options.VirtualProxyUrl.ToString().TrimEnd('/');

        checks.Add(await CheckRedirectAsync(http, cancellationToken));
        var (tokenResponse, tokenFailure) = await SendAsync(http, HttpMethod.Get, baseUrl + "/qps/csrftoken", options.Origin, withCredential: true, cancellationToken);
        using var disposeToken = tokenResponse;
        checks.Add(CheckHsts(tokenResponse, tokenFailure));
        string? token = null;
        if (options.Origin is null)
        {
            checks.Add(new("CORS", DoctorVerdict.Skip, "pass --origin https://your-mashup-site to check cross-origin access"));
        }
        else
        {
            checks.Add(await CheckPreflightAsync(http, baseUrl, cancellationToken));
            checks.Add(tokenResponse is null ? DoctorCheck.CouldNotRun("CORS headers", $"GET qps/csrftoken got no answer: {tokenFailure}") : CheckCorsHeaders(tokenResponse));
        }

        if (options.Bearer is null && options.Cookie is null)
        {
            checks.Add(new("CSRF token", DoctorVerdict.Skip, "pass --bearer TOKEN or --cookie Name=value to log in and check the token and WebSocket"));
        }
        else if (tokenResponse is null)
        {
            checks.Add(DoctorCheck.CouldNotRun("CSRF token", $"GET qps/csrftoken got no answer: {tokenFailure}"));
        }
        else if (tokenResponse.StatusCode == HttpStatusCode.NoContent && tokenResponse.Headers.TryGetValues("qlik-csrf-token", out var values))
        {
            token = values.First();
            checks.Add(new("CSRF token", DoctorVerdict.Pass, "GET qps/csrftoken answered 204 with a qlik-csrf-token header"));
        }
        else
        {
            checks.Add(new("CSRF token", DoctorVerdict.Fail, $"GET qps/csrftoken answered {Status(tokenResponse)}; the credential was not accepted"));
        }

        checks.Add(await CheckWebSocketAsync(StrangerOrigin, token, expectAccepted: false, cancellationToken));
        if (token is not null)
        {
            checks.Add(await CheckWebSocketAsync(options.Origin, token, expectAccepted: true, cancellationToken));
        }

        return checks;
    }

    private async Task<DoctorCheck> CheckRedirectAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var insecure = new UriBuilder(options.VirtualProxyUrl) { Scheme = "http", Port = options.HttpPort ?? -1 }.Uri;
        try
        {
            using var response = await http.GetAsync(insecure, cancellationToken);
            var location = response.Headers.Location;
            if ((int)response.StatusCode is 301 or 308 && location?.Scheme == "https")
            {
                return response.Headers.Contains("Strict-Transport-Security")
                    ? new("HTTP to HTTPS", DoctorVerdict.Fail, "the plain-HTTP answer carries HSTS, which RFC 6797 forbids")
                    : new("HTTP to HTTPS", DoctorVerdict.Pass, $"{(int)response.StatusCode} to {location}");
            }

            return new("HTTP to HTTPS", DoctorVerdict.Fail, $"{insecure} answered {(int)response.StatusCode} instead of redirecting to https");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new("HTTP to HTTPS", DoctorVerdict.Warn, $"{insecure} did not answer ({Reason(ex)}); if port 80 is closed that is fine, otherwise turn on the redirect");
        }
    }

    private static DoctorCheck CheckHsts(HttpResponseMessage? response, string? failure) =>
        response is null
            ? DoctorCheck.CouldNotRun("HSTS", $"the HTTPS URL did not answer: {failure}")
            : response.Headers.TryGetValues("Strict-Transport-Security", out var hsts)
                ? new("HSTS", DoctorVerdict.Pass, string.Join(", ", hsts))
                : new("HSTS", DoctorVerdict.Fail, "no Strict-Transport-Security header on HTTPS; set hsts in the config or a Strict-Transport-Security line in additionalResponseHeaders");

    private async Task<DoctorCheck> CheckPreflightAsync(HttpClient http, string baseUrl, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, baseUrl + "/qps/csrftoken");
        request.Headers.Add("Origin", options.Origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        var (response, failure) = await TrySendAsync(http, request, cancellationToken);
        using var disposeResponse = response;
        if (response is null)
        {
            return DoctorCheck.CouldNotRun("CORS preflight", $"OPTIONS qps/csrftoken got no answer: {failure}");
        }

        var allowOrigin = Values(response, "Access-Control-Allow-Origin");
        if (response.StatusCode == HttpStatusCode.NoContent && allowOrigin.Count == 1 && allowOrigin[0] == options.Origin)
        {
            return new("CORS preflight", DoctorVerdict.Pass, $"204, Access-Control-Allow-Origin: {options.Origin}");
        }

        return new("CORS preflight", DoctorVerdict.Fail, $"answered {Status(response)} with Access-Control-Allow-Origin [{string.Join(" | ", allowOrigin)}]; add {options.Origin} to websocketCrossOriginWhiteList");
    }

    private DoctorCheck CheckCorsHeaders(HttpResponseMessage response)
    {
        var allowOrigin = Values(response, "Access-Control-Allow-Origin");
        var problems = new List<string>();
        if (allowOrigin.Count != 1 || allowOrigin[0] != options.Origin)
        {
            problems.Add($"Access-Control-Allow-Origin is [{string.Join(" | ", allowOrigin)}], browsers need exactly \"{options.Origin}\"");
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

    private async Task<DoctorCheck> CheckWebSocketAsync(string? origin, string? token, bool expectAccepted, CancellationToken cancellationToken)
    {
        var name = expectAccepted ? "WebSocket with token" : "WebSocket from a stranger";
        var url = new UriBuilder(options.VirtualProxyUrl) { Scheme = "wss" }.Uri.ToString().TrimEnd('/') + "/app/engineData"
            + (token is null ? "" : "?qlik-csrf-token=" + Uri.EscapeDataString(token));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => _trust.Validate(certificate, errors);
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

    private async Task<(HttpResponseMessage? Response, string? Failure)> SendAsync(HttpClient http, HttpMethod method, string url, string? origin, bool withCredential, CancellationToken cancellationToken)
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
        if (options.Bearer is { } bearer)
        {
            setHeader("Authorization", "Bearer " + bearer);
        }

        if (options.Cookie is { } cookie)
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
    private static string Reason(Exception ex)
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

    private HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, certificate, _, errors) => _trust.Validate(certificate, errors) },
    })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    private static List<string> Values(HttpResponseMessage? response, string name) =>
        response is not null && (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            ? values.SelectMany(v => new[] { v }).ToList()
            : [];

    private static string Status(HttpResponseMessage response) => ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
