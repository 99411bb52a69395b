using Portico.Sessions;

namespace Portico.QpsApi;

/// <summary>Qlik's response shapes: PascalCase names, attributes as a list of one-pair objects.</summary>
internal static class QpsJson
{
    public static System.Text.Json.JsonSerializerOptions Options { get; } = new() { PropertyNamingPolicy = null };

    public static IReadOnlyList<Dictionary<string, string>> Attributes(IReadOnlyList<KeyValuePair<string, string>> attributes) =>
        attributes.Select(a => new Dictionary<string, string> { [a.Key] = a.Value }).ToList();

    public static object Session(Session session) => new
    {
        session.User.UserDirectory,
        session.User.UserId,
        Attributes = Attributes(session.User.Attributes),
        SessionId = session.Id,
    };
}
