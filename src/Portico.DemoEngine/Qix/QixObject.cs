using System.Text.Json.Nodes;

namespace Portico.DemoEngine.Qix;

/// <summary>Something a client holds a handle to; handles are per connection, like the engine's.</summary>
internal abstract class QixObject
{
    protected QixObject(int handle, string type, string genericType, string genericId)
    {
        Handle = handle;
        Type = type;
        GenericType = genericType;
        GenericId = genericId;
    }

    public int Handle { get; }

    /// <summary>The QIX class, which picks the method table and which enigma.js uses to build the API.</summary>
    public string Type { get; }

    public string GenericType { get; }

    public string GenericId { get; }

    /// <summary>
    /// The <c>qReturn</c> of calls that hand out a handle (OpenDoc, CreateSessionObject, ...);
    /// enigma.js turns exactly this shape into an API object.
    /// </summary>
    public JsonObject Describe()
    {
        var description = new JsonObject
        {
            ["qType"] = Type,
            ["qHandle"] = Handle,
        };
        if (Type != GenericType)
        {
            description["qGenericType"] = GenericType;
        }

        description["qGenericId"] = GenericId;
        return description;
    }
}
