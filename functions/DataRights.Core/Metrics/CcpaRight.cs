namespace DataRights.Core.Metrics;

/// <summary>The rights 11 CCR §7102(a)(1) asks metrics of (see <see cref="CcpaRights"/> for how our request types map to them).</summary>
public enum CcpaRight
{
    Know,
    Delete,
    Correct,
    OptOutOfSaleOrSharing,
    Limit,
}
