using System.Text;

namespace Portico.Admin;

/// <summary>
/// The built-in demo's configuration, which has no file: changes made through the admin API last
/// until Portico stops.
/// </summary>
internal sealed class MemoryConfigSource(string text, string baseDirectory, TimeProvider time) : IConfigSource
{
    private readonly Lock _lock = new();
    private ConfigDocument _current = new(text, FileConfigSource.VersionOf(Encoding.UTF8.GetBytes(text)), time.GetUtcNow(), baseDirectory);

    public string Description => "memory (the built-in demo; changes last until Portico stops)";

    public ValueTask<ConfigDocument> ReadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_current);
        }
    }

    public ValueTask<ConfigDocument?> WriteAsync(string text, string expectedVersion, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!string.Equals(_current.Version, expectedVersion, StringComparison.Ordinal))
            {
                return ValueTask.FromResult<ConfigDocument?>(null);
            }

            _current = new ConfigDocument(text, FileConfigSource.VersionOf(Encoding.UTF8.GetBytes(text)), time.GetUtcNow(), _current.BaseDirectory);
            return ValueTask.FromResult<ConfigDocument?>(_current);
        }
    }
}
