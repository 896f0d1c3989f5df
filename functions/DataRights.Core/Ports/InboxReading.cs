using DataRights.Core.Requests;

namespace DataRights.Core.Ports;

/// <summary>
/// A page of the inbox as <see cref="InboxReader"/> read it: the requests to show, where the next page starts (null:
/// no more), whether the index stopped looking early, and how many listed entries were left out as stale.
/// </summary>
public sealed record InboxReading(IReadOnlyList<DataSubjectRequest> Requests, OpenRequestCursor? Next, bool ScannedOut, int Dropped);
