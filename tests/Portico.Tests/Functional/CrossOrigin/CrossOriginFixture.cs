namespace Portico.Tests.Functional.CrossOrigin;

/// <summary>One <see cref="CrossOriginHost"/> on the real clock, shared by the tests of a class.</summary>
public sealed class CrossOriginFixture : IAsyncLifetime
{
    public CrossOriginHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await CrossOriginHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
