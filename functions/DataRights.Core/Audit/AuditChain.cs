using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DataRights.Core.Audit;

/// <summary>Builds and verifies the SHA-256 hash chain of a request's audit trail.</summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of a trail's first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>Creates the entry that follows <paramref name="previous"/> (null for the first).</summary>
    public static AuditEntry Next(
        AuditEntry? previous,
        string requestId,
        DateTimeOffset at,
        string actor,
        string action,
        string? fromStatus,
        string? toStatus,
        IReadOnlyDictionary<string, string?>? details = null)
    {
        if (previous is not null && !string.Equals(previous.RequestId, requestId, StringComparison.Ordinal))
        {
            throw new ArgumentException("An audit entry must follow an entry of the same request.", nameof(previous));
        }

        var sequence = (previous?.Sequence ?? 0) + 1;
        var previousHash = previous?.Hash ?? Genesis;
        var canonicalDetails = CanonicalDetails(details);
        var utc = at.ToUniversalTime();
        var hash = ComputeHash(requestId, sequence, utc, actor, action, fromStatus, toStatus, canonicalDetails, previousHash);
        return new AuditEntry(requestId, sequence, utc, actor, action, fromStatus, toStatus, canonicalDetails, previousHash, hash);
    }

    /// <summary>Chains drafts after <paramref name="head"/> (null: a new trail) and returns the entries and the new head.</summary>
    public static (IReadOnlyList<AuditEntry> Entries, AuditHead? Head) Extend(AuditHead? head, string requestId, IEnumerable<AuditDraft> drafts)
    {
        var entries = new List<AuditEntry>();
        var previous = head is null || head.Sequence == 0
            ? null
            : new AuditEntry(requestId, head.Sequence, default, string.Empty, string.Empty, null, null, string.Empty, string.Empty, head.Hash);
        foreach (var d in drafts)
        {
            previous = Next(previous, requestId, d.At, d.Actor, d.Action, d.FromStatus, d.ToStatus, d.Details);
            entries.Add(previous);
        }

        return (entries, previous is null ? head : AuditHead.Of(previous));
    }

    /// <summary>
    /// Checks sequence numbers, links and hashes from the first entry to the last and, when the
    /// request's own record of its last entry is given, that nothing was cut off the end.
    /// </summary>
    public static AuditVerification Verify(IReadOnlyList<AuditEntry> entries, AuditHead? head = null)
    {
        var previousHash = Genesis;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.Sequence != i + 1)
            {
                return new AuditVerification(false, entries.Count, e.Sequence, $"Expected entry {i + 1} but found {e.Sequence}: an entry is missing or out of order.");
            }

            if (!string.Equals(e.PreviousHash, previousHash, StringComparison.Ordinal))
            {
                return new AuditVerification(false, entries.Count, e.Sequence, "The entry does not link to the one before it.");
            }

            var expected = ComputeHash(e.RequestId, e.Sequence, e.At, e.Actor, e.Action, e.FromStatus, e.ToStatus, e.Details, e.PreviousHash);
            if (!string.Equals(e.Hash, expected, StringComparison.Ordinal))
            {
                return new AuditVerification(false, entries.Count, e.Sequence, "The entry was changed after it was written.");
            }

            previousHash = e.Hash;
        }

        if (head is not null && (head.Sequence != entries.Count || !string.Equals(head.Hash, entries.Count == 0 ? Genesis : previousHash, StringComparison.Ordinal)))
        {
            return new AuditVerification(false, entries.Count, entries.Count + 1, $"The request records {head.Sequence} entries but the trail ends at {entries.Count}: entries were removed.");
        }

        return new AuditVerification(true, entries.Count, null, null);
    }

    /// <summary>Reads back an instant written by <see cref="FormatInstant"/>.</summary>
    public static DateTimeOffset ParseInstant(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>The canonical text of an instant: UTC, seven fractional digits, as stored.</summary>
    public static string FormatInstant(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string ComputeHash(
        string requestId, long sequence, DateTimeOffset at, string actor, string action,
        string? fromStatus, string? toStatus, string details, string previousHash)
    {
        // Length-prefixed fields, and a marker no length can start with for null: no choice of values
        // can make two different entries hash alike.
        var builder = new StringBuilder();
        foreach (var field in new[]
                 {
                     "audit-v1", requestId, sequence.ToString(CultureInfo.InvariantCulture), FormatInstant(at),
                     actor, action, fromStatus, toStatus, details, previousHash,
                 })
        {
            if (field is null)
            {
                builder.Append("~;");
                continue;
            }

            builder.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append(';');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    private static string CanonicalDetails(IReadOnlyDictionary<string, string?>? details)
    {
        var sorted = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in details ?? new Dictionary<string, string?>())
        {
            sorted[key] = value;
        }

        return JsonSerializer.Serialize(sorted);
    }
}
