using System.Security.Cryptography.X509Certificates;

namespace Portico.QpsApi;

/// <summary>Why a request to one of Portico's certificate-guarded APIs was refused at the door.</summary>
/// <param name="Code">The stable code in the error body and the audit event.</param>
/// <param name="Reason">What was wrong, for the log and the audit event.</param>
/// <param name="Message">What the caller is told, with the fix.</param>
internal sealed record ApiDoorRefusal(int Status, string Code, string Reason, string Message);

/// <summary>
/// The door of the QPS API and the admin API, Qlik's rules for both: a trusted client certificate
/// (mutual TLS; judged by <see cref="ClientCertificatePolicy"/>) and Qlik's xrfkey pair
/// (<see cref="XrfKey"/>), checked in that order. Pure: the middleware of each API applies it.
/// </summary>
internal static class ApiDoor
{
    /// <param name="apiName">How the refusal names the API ("The QPS API").</param>
    /// <param name="now">Certificate validity is a wall-clock question: the TLS peer judged ours the same way.</param>
    /// <returns>Null when the request may pass.</returns>
    public static ApiDoorRefusal? Judge(string apiName, X509Certificate2? certificate, ClientCertificatePolicy policy, DateTimeOffset now, XrfKeyCheck xrf)
    {
        if (certificate is null)
        {
            return new(StatusCodes.Status401Unauthorized, "client_certificate_required", "no client certificate",
                $"{apiName} requires a trusted client certificate (mutual TLS).");
        }

        var decision = policy.Evaluate(certificate, now);
        if (!decision.Allowed)
        {
            return new(StatusCodes.Status403Forbidden, "client_certificate_not_trusted", decision.Reason,
                $"The client certificate is not trusted: {decision.Reason}.");
        }

        return xrf.IsValid
            ? null
            : new(StatusCodes.Status403Forbidden, "xrfkey", xrf.FailureReason,
                $"Request refused: {xrf.FailureReason}. Send the same 16 characters (0-9 a-z A-Z) as the xrfkey query parameter and the X-Qlik-Xrfkey header.");
    }
}
