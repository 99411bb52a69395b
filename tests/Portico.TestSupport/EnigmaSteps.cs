namespace Portico.TestSupport;

/// <summary>The step names <c>tests/clients/enigma-session.mjs</c> understands, in the order a mashup would call them.</summary>
public static class EnigmaSteps
{
    /// <summary><c>global.engineVersion()</c>; result <c>{"qComponentVersion":"..."}</c>.</summary>
    public const string EngineVersion = "EngineVersion";

    /// <summary><c>global.getDocList()</c>; result the doc list array.</summary>
    public const string GetDocList = "GetDocList";

    /// <summary><c>global.getAuthenticatedUser()</c>; result <c>"UserDirectory=...; UserId=..."</c>.</summary>
    public const string GetAuthenticatedUser = "GetAuthenticatedUser";

    /// <summary><c>global.openDoc(appId)</c>; result <c>{"id","handle","type"}</c>.</summary>
    public const string OpenDoc = "OpenDoc";

    /// <summary><c>global.getActiveDoc()</c>; result <c>{"id","handle","type"}</c>.</summary>
    public const string GetActiveDoc = "GetActiveDoc";

    /// <summary><c>doc.getAppLayout()</c> (opening the doc first if needed); result the layout.</summary>
    public const string GetAppLayout = "GetAppLayout";

    /// <summary>A session object with a hypercube, its layout and <c>getHyperCubeData</c>; result <c>{"id","qSize","dimensions","measures","qMatrix"}</c>.</summary>
    public const string HyperCube = "HyperCube";

    /// <summary>The result key of the second <c>getAuthenticatedUser()</c> after <see cref="EnigmaRunRequest.HoldOpenMs"/>.</summary>
    public const string AfterHold = "AfterHold";

    /// <summary>Everything a healthy session through the proxy should manage.</summary>
    public static IReadOnlyList<string> FullSession { get; } = [EngineVersion, GetDocList, GetAuthenticatedUser, OpenDoc, HyperCube];
}
