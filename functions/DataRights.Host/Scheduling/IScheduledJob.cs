namespace DataRights.Host.Scheduling;

/// <summary>Work that runs on a schedule (stand-alone: the in-process scheduler; under Azure: a timerTrigger function).</summary>
public interface IScheduledJob
{
    string Name { get; }

    /// <summary>Six-field NCRONTAB.</summary>
    string Schedule { get; }

    string TimeZoneId { get; }

    /// <summary>Runs for the occurrence <paramref name="scheduledFor"/>; must be safe to run twice for the same one.</summary>
    Task RunAsync(DateTimeOffset scheduledFor, CancellationToken cancellationToken);
}
