using System.Net;

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
        var browser = new BrowserChecks(options.VirtualProxyUrl, _trust, options.Bearer, options.Cookie);
        using var http = browser.CreateClient(TimeSpan.FromSeconds(15));

        checks.Add(await CheckRedirectAsync(http, cancellationToken));
        var (tokenResponse, tokenFailure) = await browser.SendAsync(http, HttpMethod.Get, browser.BaseUrl + "/qps/csrftoken", options.Origin, withCredential: true, cancellationToken);
        using var disposeToken = tokenResponse;
        checks.Add(CheckHsts(tokenResponse, tokenFailure));
        string? token = null;
        if (options.Origin is null)
        {
            checks.Add(new("CORS", DoctorVerdict.Skip, "pass --origin https://your-mashup-site to check cross-origin access"));
        }
        else
        {
            checks.Add(await browser.PreflightAsync(http, options.Origin, cancellationToken));
            checks.Add(tokenResponse is null ? DoctorCheck.CouldNotRun("CORS headers", $"GET qps/csrftoken got no answer: {tokenFailure}") : BrowserChecks.CorsHeaders(tokenResponse, options.Origin));
        }

        if (!browser.HasCredential)
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
            checks.Add(new("CSRF token", DoctorVerdict.Fail, $"GET qps/csrftoken answered {BrowserChecks.Status(tokenResponse)}; the credential was not accepted"));
        }

        checks.Add(await browser.WebSocketAsync(StrangerOrigin, token, expectAccepted: false, cancellationToken));
        if (token is not null)
        {
            checks.Add(await browser.WebSocketAsync(options.Origin, token, expectAccepted: true, cancellationToken));
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
            return new("HTTP to HTTPS", DoctorVerdict.Warn, $"{insecure} did not answer ({BrowserChecks.Reason(ex)}); if port 80 is closed that is fine, otherwise turn on the redirect");
        }
    }

    private static DoctorCheck CheckHsts(HttpResponseMessage? response, string? failure) =>
        response is null
            ? DoctorCheck.CouldNotRun("HSTS", $"the HTTPS URL did not answer: {failure}")
            : response.Headers.TryGetValues("Strict-Transport-Security", out var hsts)
                ? new("HSTS", DoctorVerdict.Pass, string.Join(", ", hsts))
                : new("HSTS", DoctorVerdict.Fail, "no Strict-Transport-Security header on HTTPS; set hsts in the config or a Strict-Transport-Security line in additionalResponseHeaders");
}
