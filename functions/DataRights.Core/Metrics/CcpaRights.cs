using DataRights.Core.Requests;

namespace DataRights.Core.Metrics;

/// <summary>
/// Our request types as the CCPA's rights, for the metrics of 11 CCR §7102:
/// access and portability are requests to know (Cal. Civ. Code §1798.110 and §1798.130(a)(2)(B): the copy is given in a
/// portable format), erasure a request to delete (§1798.105), rectification a request to correct (§1798.106), objection a
/// request to opt out of sale or sharing (§1798.120), and restriction a request to limit the use and disclosure of
/// sensitive personal information (§1798.121). Objection and restriction are the "opt-outs" the verification policy
/// already treats them as. An operator that neither sells nor shares, nor uses sensitive personal information in ways
/// the right to limit reaches, should read those two rows with that in mind.
/// </summary>
public static class CcpaRights
{
    /// <summary>The rights in the order the regulation lists them in its last item, §7102(a)(1)(F).</summary>
    public static IReadOnlyList<CcpaRight> All { get; } = [CcpaRight.Know, CcpaRight.Delete, CcpaRight.Correct, CcpaRight.OptOutOfSaleOrSharing, CcpaRight.Limit];

    public static CcpaRight For(RequestType type) => type switch
    {
        RequestType.Access or RequestType.Portability => CcpaRight.Know,
        RequestType.Erasure => CcpaRight.Delete,
        RequestType.Rectification => CcpaRight.Correct,
        RequestType.Objection => CcpaRight.OptOutOfSaleOrSharing,
        RequestType.Restriction => CcpaRight.Limit,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The right as the regulation and a reader name it.</summary>
    public static string Name(CcpaRight right) => right switch
    {
        CcpaRight.Know => "Request to know",
        CcpaRight.Delete => "Request to delete",
        CcpaRight.Correct => "Request to correct",
        CcpaRight.OptOutOfSaleOrSharing => "Request to opt out of sale or sharing",
        CcpaRight.Limit => "Request to limit use of sensitive personal information",
        _ => throw new ArgumentOutOfRangeException(nameof(right)),
    };
}
