using Microsoft.Extensions.Options;

namespace DataRights.Host.Sources;

/// <summary>
/// Seeds and loads the source registry after the store is migrated and before requests are served. The demo
/// sources are seeded only in Development: elsewhere only configured registrations are, or nothing.
/// </summary>
internal sealed class SourceRegistryInitializer(SourceRegistry registry, IOptions<SourcesOptions> options, IHostEnvironment environment) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) =>
        options.Value.Registered.Count > 0 || environment.IsDevelopment()
            ? registry.SeedAsync(options.Value.Registered, cancellationToken)
            : registry.ReloadAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
