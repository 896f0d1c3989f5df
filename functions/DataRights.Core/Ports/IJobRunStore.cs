namespace DataRights.Core.Ports;

/// <summary>When each scheduled job last ran, so a run missed while the host was down is caught up once, and none runs twice.</summary>
public interface IJobRunStore
{
    Task<DateTimeOffset?> LastRunAsync(string job, CancellationToken cancellationToken);

    Task RecordAsync(string job, DateTimeOffset scheduledFor, DateTimeOffset finishedAt, CancellationToken cancellationToken);
}
