using DataRights.Core.Requests;

namespace DataRights.Core.Ports;

/// <summary>
/// The staff inbox's index of open requests, in the inbox order (due date, then received, then id: see
/// <see cref="OpenRequestCursor"/>), with the fields the inbox filters on. It is written after each commit of a
/// request, not with it, so it may lag a moment (or, after a crash, until the request's next commit): a reader
/// reads the requests it lists and keeps only those that still match (<see cref="InboxFilter.Matches"/>), and hands
/// the rest to <see cref="RepairAsync"/>.
/// </summary>
public interface IInboxIndex
{
    /// <summary>
    /// At most <paramref name="max"/> entries matching <paramref name="filter"/> after <paramref name="after"/> (from the
    /// start when null), in the inbox order, and where the next page starts (null when the index has no more).
    /// </summary>
    Task<InboxIndexPage> ListAsync(InboxFilter filter, OpenRequestCursor? after, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Puts right an entry a reader found stale: removes it when its request is gone, final or listed under another
    /// position, otherwise rewrites it from <paramref name="request"/>; an entry changed since it was listed is left alone.
    /// </summary>
    Task RepairAsync(InboxIndexEntry entry, DataSubjectRequest? request, CancellationToken cancellationToken);
}
