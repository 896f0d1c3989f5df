using DataRights.Core.Requests;

namespace DataRights.Core.Ports;

/// <summary>
/// Reads a page of the inbox: one query of the index, then the requests it lists, side by side. The index may lag a
/// request's last commit, so a request is kept only where its entry placed it and only if it (not its entry) still
/// passes the filter; an entry found stale is repaired on the way.
/// </summary>
public static class InboxReader
{
    public static async Task<InboxReading> ReadAsync(
        IInboxIndex index,
        IRequestStore store,
        InboxFilter filter,
        OpenRequestCursor? after,
        int max,
        Func<DataSubjectRequest, bool>? alsoMatches,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(filter);
        var page = await index.ListAsync(filter, after, max, cancellationToken);
        var requests = await Task.WhenAll(page.Entries.Select(e => store.GetAsync(e.RequestId, cancellationToken)));
        var shown = new List<DataSubjectRequest>(page.Entries.Count);
        var repairs = new List<Task>();
        for (var i = 0; i < page.Entries.Count; i++)
        {
            var (entry, request) = (page.Entries[i], requests[i]);
            if (request is null || !entry.Describes(request))
            {
                repairs.Add(index.RepairAsync(entry, request, cancellationToken));
            }

            if (request is not null
                && OpenRequestCursor.After(request) == entry.Cursor
                && filter.Matches(request)
                && (alsoMatches is null || alsoMatches(request)))
            {
                shown.Add(request);
            }
        }

        await Task.WhenAll(repairs);
        return new InboxReading(shown, page.Next, page.ScannedOut, page.Entries.Count - shown.Count);
    }
}
