using DataRights.Core.Metrics;
using DataRights.Core.Requests;

namespace DataRights.Core.Ports;

/// <summary>Requests read in bulk for staff: finished ones of one type (restrictions in force), and the figures of those received in a period, for the metrics.</summary>
public interface IRequestListing
{
    /// <summary>Completed requests of <paramref name="type"/>, oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<DataSubjectRequest>> ListCompletedAsync(RequestType type, int max, CancellationToken cancellationToken);

    /// <summary>
    /// The figures (no personal data) of the requests received from <paramref name="from"/> (inclusive) to
    /// <paramref name="to"/> (exclusive), open and closed alike, oldest first, at most <paramref name="max"/>.
    /// </summary>
    Task<IReadOnlyList<RequestFigures>> ListReceivedAsync(DateTimeOffset from, DateTimeOffset to, int max, CancellationToken cancellationToken);
}
