using Portico.Configuration;
using Portico.Hosting;
using Portico.Listeners;

var commandLine = CommandLine.Parse(args);
if (commandLine.ShowHelp || commandLine.Error is not null)
{
    if (commandLine.Error is not null)
    {
        Console.Error.WriteLine($"portico: {commandLine.Error}");
    }

    Console.Error.WriteLine(CommandLine.Usage);
    return commandLine.ShowHelp ? 0 : 2;
}

var loaded = commandLine.ConfigPath is null
    ? DemoConfig.Load(Directory.GetCurrentDirectory())
    : ConfigLoader.LoadFile(commandLine.ConfigPath);
var source = commandLine.ConfigPath ?? "the built-in demo configuration";
if (!loaded.IsValid)
{
    Console.Error.WriteLine($"portico: {source} has {loaded.Errors.Count} error(s); nothing was started:");
    foreach (var error in loaded.Errors)
    {
        Console.Error.WriteLine($"  {error}");
    }

    return 2;
}

if (commandLine.CheckOnly)
{
    Console.WriteLine($"portico: {source} is valid.");
    return 0;
}

var app = PorticoApplication.Build(loaded, new PorticoHostOptions { ConfigFilePath = commandLine.ConfigPath });
try
{
    await app.StartAsync();
}
catch (IOException ex)
{
    // Typically a port already in use: say which, without a stack trace.
    Console.Error.WriteLine($"portico: cannot start: {ex.Message}");
    Console.Error.WriteLine("portico: change the port in 'listeners' (or demoEngine.url) or stop the program using it.");
    return 1;
}
Console.WriteLine(StartupBanner.Text(
    app.Services.GetRequiredService<ConfigSnapshotStore>().Current,
    app.Services.GetRequiredService<BoundListeners>(),
    app.Services.GetRequiredService<HostCertificates>()));
await app.WaitForShutdownAsync();
return 0;
