namespace DataRights.Host.Durable;

/// <summary>
/// The local task hub's own host stops when the stand-alone host stops it, never by itself: not on Ctrl+C or SIGTERM,
/// which the stand-alone host answers by draining the task hub first (<see cref="LocalTaskHub.StoppingAsync"/>). With
/// the console lifetime it would stop its dispatchers at the signal, while the worker still ran.
/// </summary>
internal sealed class SidecarLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
