using Portico.Configuration;
using Portico.Doctor;
using Portico.Hosting;
using Portico.Listeners;
using Portico.Logging;

var commandLine = CommandLine.Parse(args);
if (commandLine.Command == Command.Help)
{
    if (commandLine.Error is not null)
    {
        Console.Error.WriteLine($"portico: {commandLine.Error}");
    }

    Console.Error.WriteLine(CommandLine.Usage);
    return commandLine.Error is null ? 0 : 2;
}

if (commandLine.Command == Command.Doctor)
{
    var checks = await new DeploymentDoctor(commandLine.Doctor!).RunAsync(CancellationToken.None);
    foreach (var check in checks)
    {
        Console.WriteLine(check);
    }

    var failed = checks.Count(c => c.Verdict == DoctorVerdict.Fail);
    Console.WriteLine(failed == 0 ? "portico doctor: no problem found." : $"portico doctor: {failed} problem(s) found.");
    return failed == 0 ? 0 : 1;
}

var loaded = commandLine.ConfigPath is null
    ? DemoConfig.Load(Directory.GetCurrentDirectory())
    : ConfigLoader.LoadFile(commandLine.ConfigPath);
var source = commandLine.ConfigPath ?? "the built-in demo configuration";
var loggingEnvironment = LoggingEnvironment.FromProcess();
if (!loaded.IsValid || loggingEnvironment.Errors.Count > 0)
{
    IReadOnlyList<ConfigError> errors = [.. loaded.Errors, .. loggingEnvironment.Errors];
    Console.Error.WriteLine($"portico: {source} has {errors.Count} error(s); nothing was started:");
    foreach (var error in errors)
    {
        Console.Error.WriteLine($"  {error}");
    }

    return 2;
}

if (commandLine.Command == Command.Check)
{
    var snapshot = ConfigSnapshot.Create(loaded.Config!, loaded.BaseDirectory, version: 1);
    foreach (var warning in ConfigWarnings.For(snapshot))
    {
        Console.WriteLine($"  warning: {warning}");
    }

    Console.WriteLine($"portico: {source} is valid.");
    return 0;
}

WebApplication app;
try
{
    // Building starts the demo engine (when enabled), so its port can be in use here already.
    app = PorticoApplication.Build(loaded, new PorticoHostOptions { ConfigFilePath = commandLine.ConfigPath, LoggingEnvironment = loggingEnvironment });
    await app.StartAsync();
}
catch (Portico.Cluster.ClusterStartException ex)
{
    Console.Error.WriteLine($"portico: cannot start: {ex.Message}");
    return 1;
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

// Disposing the host drains the logger's queue: the last lines of a stop are not lost.
await app.DisposeAsync();
return 0;
