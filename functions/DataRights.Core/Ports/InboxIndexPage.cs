namespace DataRights.Core.Ports;

/// <summary>
/// One page of the inbox index, and where the next one starts (null when there is no more). <see cref="ScannedOut"/>:
/// the index stopped looking before it found the page's entries, so more may match after <see cref="Next"/>.
/// </summary>
public sealed record InboxIndexPage(IReadOnlyList<InboxIndexEntry> Entries, OpenRequestCursor? Next, bool ScannedOut = false);
