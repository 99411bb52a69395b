using System.Text.Json;
using System.Text.Json.Serialization;
using Portico.Bench.LoadClient;

ClientOptions options;
try
{
    options = ClientOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine($"LoadClient: {ex.Message}");
    Console.Error.WriteLine(ClientOptions.Usage);
    return 2;
}

using var factory = new SocketFactory(options);
var result = options.Mode switch
{
    "echo" => await EchoRun.RunAsync(options, factory),
    "handshake" => await HandshakeRun.RunAsync(options, factory),
    "steady" => await SteadyRun.RunAsync(options, factory),
    _ => await IdleRun.RunAsync(options, factory),
};

var json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
Console.WriteLine(JsonSerializer.Serialize(result, json));
// A run where nothing worked is a failure of the harness, not a measurement.
return result.Count > 0 ? 0 : 1;
