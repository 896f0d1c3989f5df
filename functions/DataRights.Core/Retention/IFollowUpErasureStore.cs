using DataRights.Core.Audit;
using DataRights.Core.Requests;

namespace DataRights.Core.Retention;

/// <summary>Follow-up erasures, kept beside the requests they finish.</summary>
public interface IFollowUpErasureStore
{
    /// <summary>Records a follow-up; one with the same id already there is kept as it is.</summary>
    Task ScheduleAsync(FollowUpErasure followUp, CancellationToken cancellationToken);

    /// <summary>Pending or held follow-ups due on or before <paramref name="today"/>, soonest first.</summary>
    Task<IReadOnlyList<FollowUpErasure>> DueAsync(DateOnly today, CancellationToken cancellationToken);

    /// <summary>Follow-ups of one request, or all (newest due first) when <paramref name="requestId"/> is null.</summary>
    Task<IReadOnlyList<FollowUpErasure>> ListAsync(string? requestId, int max, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: the follow-up's new state, the audit entries appended to its request (whose
    /// version must still be <paramref name="expectedVersion"/>; it becomes <paramref name="request"/>'s),
    /// and the follow-ups that come next. False on a version conflict (nothing written).
    /// </summary>
    Task<bool> RecordAsync(
        FollowUpErasure followUp,
        DataSubjectRequest request,
        long expectedVersion,
        IReadOnlyList<AuditEntry> audit,
        IReadOnlyList<FollowUpErasure> next,
        CancellationToken cancellationToken);
}
