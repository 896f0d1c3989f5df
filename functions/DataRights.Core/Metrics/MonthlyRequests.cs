using DataRights.Core.Requests;

namespace DataRights.Core.Metrics;

/// <summary>Requests received in one calendar month (UTC), in all and by type and jurisdiction (every value listed, zeros too).</summary>
public sealed record MonthlyRequests(
    int Year,
    int Month,
    int Total,
    IReadOnlyDictionary<RequestType, int> ByType,
    IReadOnlyDictionary<Jurisdiction, int> ByJurisdiction);
