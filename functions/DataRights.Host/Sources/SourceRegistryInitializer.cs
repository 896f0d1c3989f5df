using Microsoft.Extensions.Options;

namespace DataRights.Host.Sources;

/// <summary>Seeds and loads the source registry after the store is migrated and before requests are served.</summary>
internal sealed class SourceRegistryInitializer(SourceRegistry registry, IOptions<SourcesOptions> options) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => registry.SeedAsync(options.Value.Registered, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
