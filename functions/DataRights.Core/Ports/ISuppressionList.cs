using System.Security.Cryptography;
using System.Text;

namespace DataRights.Core.Ports;

/// <summary>
/// People who must not be sent direct marketing again, kept as the SHA-256 of their normalised email
/// only (a minimal entry: it says nothing else about them). Erasure never removes an entry; marketing
/// systems check an address against the list by its hash.
/// </summary>
public interface ISuppressionList
{
    /// <summary>
    /// Adds the entry; false when another request put it there already. Added again for the request that added it (a step
    /// run again after a crash), it answers true as the first time, so what the request records does not change.
    /// </summary>
    Task<bool> AddAsync(string emailHash, string requestId, DateTimeOffset at, CancellationToken cancellationToken);

    Task<bool> ContainsAsync(string emailHash, CancellationToken cancellationToken);

    /// <summary>Entries in hash order, after <paramref name="afterHash"/> (paging), at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<SuppressionEntry>> ListAsync(string? afterHash, int max, CancellationToken cancellationToken);

    /// <summary>The hash every component uses: lower-case hex SHA-256 of the trimmed, lower-cased address.</summary>
    public static string Hash(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));
}

/// <summary>One suppression entry: the hash and when it was added (the request that added it stays in the audit trail).</summary>
public sealed record SuppressionEntry(string EmailHash, DateTimeOffset AddedAt);
