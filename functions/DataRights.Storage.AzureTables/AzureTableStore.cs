using System.Text.RegularExpressions;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// One storage account's tables for DataRights: the SDK client, the table names and table creation. The work a
/// request owes is kept in the request itself (its progress), written with each state change.
/// </summary>
public sealed partial class AzureTableStore
{
    public AzureTableStore(AzureTableConnection connection, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!TablePrefixPattern().IsMatch(connection.TablePrefix))
        {
            throw new ArgumentException("The table prefix must start with a letter and hold only letters and digits (at most 50).", nameof(connection));
        }

        Connection = connection;
        Time = time ?? TimeProvider.System;
        Client = connection.CreateGateway();
        RequestsTable = connection.TablePrefix + "Requests";
        LookupsTable = connection.TablePrefix + "Lookups";
        RegistryTable = connection.TablePrefix + "Registry";
        RetentionTable = connection.TablePrefix + "Retention";
        InboxTable = connection.TablePrefix + "Inbox";
    }

    public AzureTableConnection Connection { get; }

    public TimeProvider Time { get; }

    /// <summary>The tables this store uses, created by <see cref="InitializeAsync"/>.</summary>
    public IReadOnlyList<string> Tables => [RequestsTable, LookupsTable, RegistryTable, RetentionTable, InboxTable];

    /// <summary>
    /// The keyed hash of an address (as intake normalised it) that the inbox index keeps instead of the address, so staff
    /// can find a requester's open requests by address. The same for every instance sharing these tables; when none is
    /// given the index keeps no address and cannot be searched by one.
    /// </summary>
    public Func<string, string>? AddressKey { get; init; }

    /// <summary>
    /// How old an index row whose request was never written (its submission failed after its claim) must be before a
    /// reader prunes it: longer than any submission can take (retries included).
    /// </summary>
    public TimeSpan AbandonAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>HTTP calls made since start (retries not counted), for benchmarks; 0 on a service client made elsewhere.</summary>
    public long RoundTrips => Client.RoundTrips;

    internal TableGateway Client { get; }

    internal string RequestsTable { get; }

    internal string LookupsTable { get; }

    internal string RegistryTable { get; }

    /// <summary>Retention bookkeeping: policies, purge runs and their report rows, and the retention audit chain.</summary>
    internal string RetentionTable { get; }

    /// <summary>The staff inbox's index of open requests (see <see cref="AzureTableRequestStore"/>'s inbox part).</summary>
    internal string InboxTable { get; }

    /// <summary>Appends to the retention chain from this process take turns (other processes are kept apart by the head's ETag).</summary>
    internal SemaphoreSlim RetentionChainTurn { get; } = new(1, 1);

    /// <summary>The key ring of ASP.NET Core data protection (cookies, anti-forgery), shared by every instance: one opaque text per key, as the caller sealed it.</summary>
    public async Task<IReadOnlyList<string>> ReadKeyRingAsync(CancellationToken cancellationToken)
    {
        var rows = await Client.QueryAsync(RegistryTable, TableKeys.Partition(KeyRingPartition), null, cancellationToken);
        return [.. rows.Select(r => r.GetText("Sealed") ?? string.Empty).Where(t => t.Length > 0)];
    }

    /// <summary>Adds a key to the ring under its name; a key already stored under that name is kept (keys never change once made).</summary>
    public async Task AddToKeyRingAsync(string name, string sealedKey, CancellationToken cancellationToken)
    {
        var row = new TableEntity(KeyRingPartition, TableKeys.Escape(name)) { Description = "data-protection key " + name }.SetText("Sealed", sealedKey);
        await Client.ExecuteAsync(RegistryTable, TableOperation.Insert(row), cancellationToken, 409);
    }

    private const string KeyRingPartition = "dataprotection";

    /// <summary>Creates the tables (idempotent: tables that exist are fine), and the awaiting-verification and inbox indexes of requests stored before they existed.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        foreach (var table in Tables)
        {
            await Client.CreateTableIfNotExistsAsync(table, cancellationToken);
        }

        await AzureTableRequestStore.BuildWaitingIndexAsync(this, cancellationToken);
        await AzureTableRequestStore.BuildInboxIndexAsync(this, cancellationToken);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,49}$")]
    private static partial Regex TablePrefixPattern();
}
