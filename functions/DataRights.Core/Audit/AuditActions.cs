namespace DataRights.Core.Audit;

/// <summary>The names of audited actions, stable because they are stored and hashed.</summary>
public static class AuditActions
{
    public const string Received = "request.received";
}
