namespace Portico.Configuration;

/// <summary>Holds the active snapshot. Readers take <see cref="Current"/> without locking; a swap replaces it atomically.</summary>
internal sealed class ConfigSnapshotStore
{
    private readonly Lock _swapLock = new();
    private volatile ConfigSnapshot _current;
    private volatile ConfigSnapshot? _applying;

    public ConfigSnapshotStore(ConfigSnapshot initial) => _current = initial;

    public ConfigSnapshot Current => _current;

    /// <summary>
    /// The snapshot being swapped in while <see cref="Swapped"/> runs (forwarding clusters built for
    /// it look up its settings here), else the current one.
    /// </summary>
    public ConfigSnapshot Applying => _applying ?? _current;

    /// <summary>
    /// Raised with the new snapshot just before it becomes current, so forwarding routes for a new
    /// virtual proxy exist before any request can select it.
    /// </summary>
    public event Action<ConfigSnapshot>? Swapped;

    public ConfigSnapshot Swap(PorticoConfig validConfig, string baseDirectory, string? contentHash = null)
    {
        ConfigSnapshot next;
        lock (_swapLock)
        {
            next = ConfigSnapshot.Create(validConfig, baseDirectory, _current.Version + 1, contentHash);
            _applying = next;
            try
            {
                Swapped?.Invoke(next);
                _current = next;
            }
            finally
            {
                _applying = null;
            }
        }

        return next;
    }
}
