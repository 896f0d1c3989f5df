namespace DataRights.Core.Retention;

/// <summary>The retention rules of one region, one per data category.</summary>
public sealed record RetentionPolicy(string Region, IReadOnlyList<RetentionRule> Rules)
{
    public RetentionRule? For(string category) => Rules.FirstOrDefault(r => r.Category == category);
}

/// <summary>A policy as stored, with who changed it last and when.</summary>
public sealed record StoredRetentionPolicy(RetentionPolicy Policy, DateTimeOffset UpdatedAt, string UpdatedBy);
