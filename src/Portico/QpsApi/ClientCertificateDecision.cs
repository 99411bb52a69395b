namespace Portico.QpsApi;

/// <summary>Whether a TLS client certificate may call the QPS API, and the reason for the audit log.</summary>
internal sealed record ClientCertificateDecision(bool Allowed, string Reason)
{
    public static ClientCertificateDecision Allow(string reason) => new(true, reason);

    public static ClientCertificateDecision Deny(string reason) => new(false, reason);
}
