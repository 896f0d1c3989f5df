namespace DataRights.Core.Audit;

/// <summary>
/// The last entry of a trail as recorded on the request itself, in the same transaction: it lets
/// verification see entries cut off the end, which the chain alone cannot show.
/// </summary>
public sealed record AuditHead(long Sequence, string Hash)
{
    public static AuditHead Of(AuditEntry last) => new(last.Sequence, last.Hash);
}
