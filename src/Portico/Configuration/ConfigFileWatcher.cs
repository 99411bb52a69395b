namespace Portico.Configuration;

/// <summary>Watches the config file and reloads it after edits settle (editors write in several steps).</summary>
internal sealed partial class ConfigFileWatcher(string path, ConfigReloader reloader, TimeProvider time, ILogger<ConfigFileWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(300);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var fullPath = Path.GetFullPath(path);
        var changes = System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite,
        });
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(fullPath)!, Path.GetFileName(fullPath))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        FileSystemEventHandler onChange = (_, _) => changes.Writer.TryWrite(true);
        watcher.Changed += onChange;
        watcher.Created += onChange;
        watcher.Renamed += (_, _) => changes.Writer.TryWrite(true);
        watcher.EnableRaisingEvents = true;
        Log.Watching(logger, fullPath);

        // An edit made between the first load and the watcher's start would otherwise go unseen;
        // an unchanged file is recognised by its hash and not applied again.
        changes.Writer.TryWrite(true);

        try
        {
            while (await changes.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(SettleTime, time, stoppingToken);
                while (changes.Reader.TryRead(out _))
                {
                }

                reloader.ReloadFile(fullPath);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(105, LogLevel.Information, "Watching {Path} for configuration changes.")]
        public static partial void Watching(ILogger logger, string path);
    }
}
