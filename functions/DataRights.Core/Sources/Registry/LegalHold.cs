using System.Security.Cryptography;
using System.Text;

namespace DataRights.Core.Sources.Registry;

/// <summary>
/// A legal hold placed by staff on a person (everywhere) or on a whole source: erasure is blocked
/// while it stands, and the hold becomes the recorded basis for keeping the data. A person is held
/// by the hash of their normalised email, so the list of holds itself names nobody.
/// </summary>
public sealed record LegalHold(
    string Id,
    string Scope,
    string? SubjectHash,
    string? SourceKey,
    string Reason,
    string PlacedBy,
    DateTimeOffset PlacedAt,
    string? LiftedBy = null,
    DateTimeOffset? LiftedAt = null)
{
    public const string PersonScope = "person";
    public const string SourceScope = "source";

    public bool Active => LiftedAt is null;

    public static string HashSubject(string normalizedEmail) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("hold-subject:" + normalizedEmail)));

    /// <summary>True when this hold stops erasure of <paramref name="normalizedEmail"/> at <paramref name="sourceKey"/>.</summary>
    public bool Covers(string normalizedEmail, string sourceKey) =>
        Active && (Scope == SourceScope ? SourceKey == sourceKey : SubjectHash == HashSubject(normalizedEmail));
}

/// <summary>Where holds live.</summary>
public interface ILegalHoldStore
{
    Task<IReadOnlyList<LegalHold>> ListAsync(CancellationToken cancellationToken);

    Task PlaceAsync(LegalHold hold, CancellationToken cancellationToken);

    Task<bool> LiftAsync(string id, string by, DateTimeOffset at, CancellationToken cancellationToken);
}
