namespace Portico.Cors;

/// <summary>How a request's Origin header relates to the virtual proxy.</summary>
internal enum OriginCheck
{
    /// <summary>No Origin header: a non-browser client, or a same-origin GET.</summary>
    Absent,

    /// <summary>The proxy's own public origin.</summary>
    SameOrigin,

    /// <summary>In the virtual proxy's allow list.</summary>
    Allowed,

    /// <summary>Anything else: foreign, "null", malformed, or sent more than once.</summary>
    NotAllowed,
}
