using Portico.Audit;
using Portico.Authentication;
using Portico.Sessions;
using Portico.Tickets;

namespace Portico.Tests.Unit.Audit;

public sealed class AuditEventsTests
{
    [Theory]
    [InlineData((int)CredentialKind.Ticket, "ticket " + TicketRedemption.UnknownReason, AuditCodes.TicketRefused, "ticket_unknown")]
    [InlineData((int)CredentialKind.Ticket, "ticket " + TicketRedemption.ExpiredReason, AuditCodes.TicketRefused, "ticket_expired")]
    [InlineData((int)CredentialKind.Ticket, "ticket " + TicketRedemption.WrongVirtualProxyReason, AuditCodes.TicketRefused, "ticket_wrong_virtual_proxy")]
    [InlineData((int)CredentialKind.Header, AuthenticationMiddleware.UntrustedNetworkReason, AuditCodes.HeaderUntrustedAddress, "untrusted_address")]
    [InlineData((int)CredentialKind.Header, "authentication header sent more than once", AuditCodes.LoginFailed, "header_invalid")]
    [InlineData((int)CredentialKind.Bearer, "token is not signed (empty signature)", AuditCodes.LoginFailed, "jwt_invalid")]
    [InlineData((int)CredentialKind.Anonymous, "no session could be created", AuditCodes.LoginFailed, "credential_invalid")]
    public void ClassifyRejection_GivesTheStableCodeAndReason(int method, string detail, string code, string reason) =>
        Assert.Equal((code, reason), AuditEvents.ClassifyRejection((CredentialKind)method, detail));

    [Fact]
    public void EndReasonCode_EveryReasonHasItsOwnCode()
    {
        var codes = Enum.GetValues<SessionEndReason>().Select(AuditEvents.EndReasonCode).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[a-z_]+$", c));
        Assert.Equal("idle_timeout", AuditEvents.EndReasonCode(SessionEndReason.IdleTimeout));
        Assert.Equal("never_used", AuditEvents.EndReasonCode(SessionEndReason.NeverUsed));
    }

    [Fact]
    public void ForAuthentication_ExistingSessionOrNoCredential_IsNotAudited()
    {
        var context = new DefaultHttpContext();
        var session = new Session { Id = "x", VirtualProxyPrefix = "", User = new AuthenticatedUser("CORP", "a"), CreatedAt = default, LastActivityAt = default };

        Assert.Null(AuditEvents.ForAuthentication(context, "", AuthenticationOutcome.Unauthenticated));
        Assert.Null(AuditEvents.ForAuthentication(context, "", AuthenticationOutcome.Authenticated(session, CredentialKind.SessionCookie, issuesCookie: false)));
        Assert.Null(AuditEvents.ForAuthentication(context, "", AuthenticationOutcome.LoginPending(PendingLogin.Anonymous)));
    }

    [Fact]
    public void ForAuthentication_RedeemedTicket_NamesTheUserAndClient()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("192.0.2.7");
        context.Request.Headers.Origin = "https://portal.example";
        var outcome = AuthenticationOutcome.LoginPending(new PendingLogin(new AuthenticatedUser("CORP", "alice"), null, CredentialKind.Ticket));

        var audited = AuditEvents.ForAuthentication(context, "sales", outcome)!;

        Assert.Equal((AuditCodes.TicketRedeemed, AuditOutcome.Success, "sales", "CORP", "alice", "ticket", "192.0.2.7", "https://portal.example"),
            (audited.Code, audited.Outcome, audited.VirtualProxy, audited.UserDirectory, audited.UserId, audited.Method, audited.Client, audited.Origin));
    }
}
