using Portico.Configuration;

namespace Portico.Authentication;

/// <summary>What a request brought that its virtual proxy could accept as a credential.</summary>
/// <param name="Bearer">An <c>Authorization: Bearer</c> token, on a JWT virtual proxy.</param>
/// <param name="Ticket">A one-time ticket in the URL, on a ticket virtual proxy.</param>
/// <param name="Header">The trusted authentication header, on a header virtual proxy.</param>
/// <param name="Cookie">This virtual proxy's session cookie.</param>
/// <param name="ForcesAuthentication">Qlik's <c>forceAuthentication=yes</c>: the client asks to log in rather than stay anonymous.</param>
internal readonly record struct PresentedCredentials(AnonymousAccessMode AnonymousAccess, bool Bearer, bool Ticket, bool Header, bool Cookie, bool ForcesAuthentication);

/// <summary>The credential to judge first, and what counts when the first is a cookie that names no live session.</summary>
internal readonly record struct CredentialPlan(CredentialKind First, CredentialKind Otherwise = CredentialKind.None);

/// <summary>
/// Which of the credentials a request presents decides who it acts for. Only the choice lives here;
/// judging the chosen credential (signature, ticket, trusted network) and the sessions it finds or
/// creates are the middleware's.
/// </summary>
internal static class CredentialPrecedence
{
    public static CredentialPlan Choose(PresentedCredentials presented)
    {
        // 1. On an always-anonymous virtual proxy everyone is anonymous: keep the session, or make one.
        if (presented.AnonymousAccess == AnonymousAccessMode.AlwaysAnonymous)
        {
            return presented.Cookie
                ? new CredentialPlan(CredentialKind.SessionCookie, CredentialKind.Anonymous)
                : new CredentialPlan(CredentialKind.Anonymous);
        }

        // 2. An explicit credential decides when one is presented: it is a login, and a cookie of an
        //    earlier session, perhaps another user's, must not override it. A refused one is a
        //    refusal, never a fall back to the cookie or to anonymous access.
        if (presented.Bearer)
        {
            return new CredentialPlan(CredentialKind.Bearer);
        }

        if (presented.Ticket)
        {
            return new CredentialPlan(CredentialKind.Ticket);
        }

        if (presented.Header)
        {
            return new CredentialPlan(CredentialKind.Header);
        }

        // 3. Otherwise the session cookie; then anonymous access, where allowed and not declined.
        var anonymous = presented.AnonymousAccess == AnonymousAccessMode.AllowAnonymous && !presented.ForcesAuthentication
            ? CredentialKind.Anonymous
            : CredentialKind.None;
        return presented.Cookie ? new CredentialPlan(CredentialKind.SessionCookie, anonymous) : new CredentialPlan(anonymous);
    }
}
