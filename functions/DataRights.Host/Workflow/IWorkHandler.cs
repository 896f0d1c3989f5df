using DataRights.Core.Ports;

namespace DataRights.Host.Workflow;

/// <summary>Carries out one kind of work item. Must be idempotent: a second delivery changes nothing.</summary>
public interface IWorkHandler
{
    string Kind { get; }

    /// <summary>Does the work. Throwing means "try again later"; <paramref name="isLastAttempt"/> lets a handler record a final failure instead.</summary>
    Task HandleAsync(WorkAttempt item, bool isLastAttempt, CancellationToken cancellationToken);
}
