using System.Globalization;
using DataRights.Core.Ports;
using DataRights.Core.Retention;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Events;

/// <summary>
/// Publishes a finished purge run's report. The event id names the run, its outcome and when it finished, so the
/// same finish published again (a resumed run finding itself already done) is a duplicate, while a run that finished
/// incomplete and later completes publishes both. Throws when the event cannot be handed over, so the run is retried.
/// </summary>
public sealed class PurgeReportPublisher(IEventPublisher publisher, IPurgeStore store, IOptions<EventsOptions> options, ILogger<PurgeReportPublisher> logger)
{
    /// <summary>The event id of <paramref name="run"/>'s finish.</summary>
    public static string EventId(PurgeRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return string.Create(CultureInfo.InvariantCulture, $"{run.Id}:purge-finished:{run.Status}:{run.FinishedAt?.UtcDateTime:yyyyMMdd'T'HHmmssfffffff'Z'}");
    }

    /// <summary>Publishes the report of <paramref name="run"/> if it has finished; a running one publishes nothing.</summary>
    public async Task PublishAsync(PurgeRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.FinishedAt is null || run.Status == PurgeRun.Running)
        {
            return;
        }

        var rows = await store.RowsAsync(run.Id, cancellationToken);
        var e = CloudEvents.ForPurge(EventId(run), run, rows, options.Value.Source);
        await publisher.PublishAsync(e, cancellationToken);
        logger.EventPublished(e.Id, e.Type);
    }
}
