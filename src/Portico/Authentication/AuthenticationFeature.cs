namespace Portico.Authentication;

/// <summary>The authentication outcome of the request, for the steps after authentication.</summary>
internal sealed class AuthenticationFeature(AuthenticationOutcome outcome)
{
    public AuthenticationOutcome Outcome { get; } = outcome;

    public AuthenticatedUser? User => Outcome.Session?.User;
}
