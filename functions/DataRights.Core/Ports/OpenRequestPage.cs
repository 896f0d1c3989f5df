using DataRights.Core.Requests;

namespace DataRights.Core.Ports;

/// <summary>One page of open requests, and where the next one starts (null when this is the last).</summary>
public sealed record OpenRequestPage(IReadOnlyList<DataSubjectRequest> Items, OpenRequestCursor? Next);
