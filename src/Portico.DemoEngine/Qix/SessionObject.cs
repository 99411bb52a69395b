using System.Text.Json.Nodes;
using Portico.DemoEngine.HyperCubes;

namespace Portico.DemoEngine.Qix;

/// <summary>
/// A generic object created with <c>CreateSessionObject</c>. It lives and dies with its connection,
/// which is all a mashup needs and why the engine never persists anything.
/// </summary>
internal sealed class SessionObject : QixObject
{
    public SessionObject(int handle, string genericType, string id, OpenDocument document, JsonObject properties, HyperCubeDefinition? hyperCube)
        : base(handle, "GenericObject", genericType, id)
    {
        Document = document;
        Properties = properties;
        HyperCube = hyperCube;
    }

    public OpenDocument Document { get; }

    /// <summary>The properties as the client sent them, with <c>qInfo.qId</c> filled in.</summary>
    public JsonObject Properties { get; }

    public HyperCubeDefinition? HyperCube { get; }
}
