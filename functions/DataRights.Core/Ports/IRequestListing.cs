using DataRights.Core.Requests;

namespace DataRights.Core.Ports;

/// <summary>Finished requests of one type, for lists staff keep after completion (restrictions in force).</summary>
public interface IRequestListing
{
    /// <summary>Completed requests of <paramref name="type"/>, oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<DataSubjectRequest>> ListCompletedAsync(RequestType type, int max, CancellationToken cancellationToken);
}
