using System.Text.RegularExpressions;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// One storage account's tables for DataRights (the Table counterpart of <c>SqliteDatabase</c>): the SDK
/// client, the table names, table creation, and the outbox that carries committed work items into the
/// queue. A commit writes its work items in the request's own partition (atomically with the state change)
/// and a dispatch intent beforehand; after the commit the items are copied into the queue partition and
/// the intent removed in one transaction. If the process dies in between, <see cref="RecoverAsync"/> finds
/// the intent and finishes the copy; copying twice is harmless (each item has a marker row).
/// </summary>
public sealed partial class AzureTableStore
{
    private long _lastRecoveryTicks;
    private int _recovering;

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
        QueueTable = connection.TablePrefix + "Queue";
        LookupsTable = connection.TablePrefix + "Lookups";
        RegistryTable = connection.TablePrefix + "Registry";
        RetentionTable = connection.TablePrefix + "Retention";
        InboxTable = connection.TablePrefix + "Inbox";
    }

    public AzureTableConnection Connection { get; }

    public TimeProvider Time { get; }

    /// <summary>The tables this store uses, created by <see cref="InitializeAsync"/>.</summary>
    public IReadOnlyList<string> Tables => [RequestsTable, QueueTable, LookupsTable, RegistryTable, RetentionTable, InboxTable];

    /// <summary>
    /// The keyed hash of an address (as intake normalised it) that the inbox index keeps instead of the address, so staff
    /// can find a requester's open requests by address. The same for every instance sharing these tables; when none is
    /// given the index keeps no address and cannot be searched by one.
    /// </summary>
    public Func<string, string>? AddressKey { get; init; }

    /// <summary>
    /// How old a dispatch intent must be before <see cref="RecoverAsync"/> finishes it once its commit has landed:
    /// the writer, if alive, has copied its work by then (a copy made twice is harmless).
    /// </summary>
    public TimeSpan RecoveryGrace { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How old an intent whose commit has not landed must be before recovery gives it up: longer than any commit
    /// can take (retries included), so a slow commit that lands later never finds its intent gone.
    /// </summary>
    public TimeSpan AbandonAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often leasing (and the relay's claim) also looks for unfinished dispatches.</summary>
    public TimeSpan RecoveryInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>HTTP calls made since start (retries not counted), for benchmarks; 0 on a service client made elsewhere.</summary>
    public long RoundTrips => Client.RoundTrips;

    internal TableGateway Client { get; }

    internal string RequestsTable { get; }

    internal string QueueTable { get; }

    internal string LookupsTable { get; }

    internal string RegistryTable { get; }

    /// <summary>Retention bookkeeping: policies, purge runs and their report rows, and the retention audit chain.</summary>
    internal string RetentionTable { get; }

    /// <summary>The staff inbox's index of open requests (see <see cref="AzureTableRequestStore"/>'s inbox part).</summary>
    internal string InboxTable { get; }

    /// <summary>Appends to the retention chain from this process take turns (other processes are kept apart by the head's ETag).</summary>
    internal SemaphoreSlim RetentionChainTurn { get; } = new(1, 1);

    /// <summary>Tests only: false leaves committed work in the request partition, as a crash right after the commit would.</summary>
    internal bool DispatchAfterCommit { get; set; } = true;

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

    /// <summary>
    /// Finishes every dispatch whose commit landed at least <see cref="RecoveryGrace"/> ago, and gives up those whose
    /// commit has not landed after <see cref="AbandonAfter"/>: copies its request's pending work items into the queue
    /// (items already there are left alone; items a step of its orchestration took back have none) and removes the intent.
    /// Returns the intents finished.
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var intents = await Client.QueryAsync(
            QueueTable, TableKeys.Partition(TableRows.QueuePartition) + " and " + TableKeys.RowKeyPrefix(TableRows.IntentPrefix), null, cancellationToken);
        var finished = 0;
        foreach (var intent in intents.Where(i => !i.GetBoolean("Announced") && AuditChain.ParseInstant(i.GetString("CreatedAt")) <= now - RecoveryGrace))
        {
            var requestId = intent.GetString("RequestId");
            if (AuditChain.ParseInstant(intent.GetString("CreatedAt")) > now - AbandonAfter && !await LandedAsync(requestId, intent, cancellationToken))
            {
                // The commit may still be on its way: its writer dispatches it, or a later round does.
                continue;
            }

            var pending = await Client.QueryAsync(
                RequestsTable,
                $"{TableKeys.Partition(TableRows.RequestPartition(requestId))} and {TableKeys.RowKeyPrefix(TableRows.WorkPrefix)} and State eq '{TableRows.Pending}'",
                null,
                cancellationToken);
            await DispatchAsync(intent.RowKey, [.. pending.Where(IsRelayed)], cancellationToken);
            finished++;
        }

        return finished;
    }

    /// <summary>True when the request row is at (or past) the version the intent was written for, i.e. its commit landed.</summary>
    internal async Task<bool> LandedAsync(string requestId, TableEntity intent, CancellationToken cancellationToken) =>
        intent.GetInt64OrNull("Version") is { } version
        && await Client.GetAsync(RequestsTable, TableRows.RequestPartition(requestId), TableRows.Request, cancellationToken) is { } row
        && row.GetInt64("Version") >= version;

    /// <summary>Runs <see cref="RecoverAsync"/> when it has not run for <see cref="RecoveryInterval"/> (one at a time).</summary>
    internal async Task RecoverIfDueAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().UtcTicks;
        if (now - Interlocked.Read(ref _lastRecoveryTicks) < RecoveryInterval.Ticks || Interlocked.Exchange(ref _recovering, 1) == 1)
        {
            return;
        }

        try
        {
            await RecoverAsync(cancellationToken);
            Interlocked.Exchange(ref _lastRecoveryTicks, now);
        }
        finally
        {
            Interlocked.Exchange(ref _recovering, 0);
        }
    }

    /// <summary>
    /// Records, before a commit, how its orchestration is to get its work: a dispatch's intent (<see cref="WorkHandOver.Queue"/>:
    /// see <see cref="RecoverAsync"/>); or an announcement's (<see cref="WorkHandOver.Announced"/>, made before the commit, or
    /// <see cref="WorkHandOver.Relay"/>, to be made by the relay once the commit has landed), which stands until the
    /// orchestration says it has taken the work (the relay announces it again until then; recovery leaves it alone).
    /// A relay's intent is marked announced too, so that a process of the version before, which knows only announced
    /// intents, leaves it to be announced rather than taking it for a dispatch's.
    /// </summary>
    internal async Task<string> WriteIntentAsync(string requestId, long version, WorkHandOver handOver, CancellationToken cancellationToken)
    {
        var key = TableRows.Intent(requestId, version);
        await Client.ExecuteAsync(QueueTable, TableOperation.Upsert(IntentRow(requestId, version, handOver, AuditChain.FormatInstant(Time.GetUtcNow()))), cancellationToken);
        return key;
    }

    /// <summary>Records the intents of several commits at once (<see cref="WriteIntentAsync"/>), in as few transactions as fit.</summary>
    internal async Task WriteIntentsAsync(IReadOnlyList<(string RequestId, long Version, WorkHandOver HandOver)> commits, CancellationToken cancellationToken)
    {
        var createdAt = AuditChain.FormatInstant(Time.GetUtcNow());
        foreach (var chunk in commits.Chunk(TableGateway.MaxBatchOperations))
        {
            var operations = chunk.Select(c => TableOperation.Upsert(IntentRow(c.RequestId, c.Version, c.HandOver, createdAt))).ToList();
            var result = await Client.SubmitTransactionAsync(QueueTable, operations, cancellationToken);
            if (!result.Succeeded)
            {
                throw new TableStorageException($"writing {operations.Count} dispatch intents", result.Status, result.ErrorCode, null);
            }
        }
    }

    private static TableEntity IntentRow(string requestId, long version, WorkHandOver handOver, string createdAt) =>
        new TableEntity(TableRows.QueuePartition, TableRows.Intent(requestId, version))
            .Set("RequestId", requestId)
            .Set("Version", version)
            .Set("Announced", handOver is WorkHandOver.Announced or WorkHandOver.Relay)
            .Set("Relay", handOver == WorkHandOver.Relay)
            .Set("CreatedAt", createdAt);

    /// <summary>
    /// Copies work rows (as stored in the request partition) into the queue partition: a marker per item and
    /// a row keyed by its due time, and removes the intent, in as few transactions as fit. Items already
    /// dispatched are skipped. Items <paramref name="handedOver"/> to the committer are stored as sent (the relay leaves them).
    /// </summary>
    internal async Task DispatchAsync(string? intentKey, IReadOnlyList<TableEntity> workRows, CancellationToken cancellationToken, bool handedOver = false)
    {
        TableEntity[] QueueRows(TableEntity work) => QueueRowsFor(work, handedOver);

        const int ItemsPerTransaction = (TableGateway.MaxBatchOperations - 1) / 2;
        var chunks = workRows.Chunk(ItemsPerTransaction).ToList();
        var intentDeleted = intentKey is null;
        var oneByOne = false;
        for (var c = 0; c < chunks.Count && !oneByOne; c++)
        {
            var operations = chunks[c].SelectMany(QueueRows).Select(TableOperation.Insert).ToList();
            var withIntent = c == chunks.Count - 1 && intentKey is not null;
            if (withIntent)
            {
                operations.Add(TableOperation.Delete(TableRows.QueuePartition, intentKey!, "*"));
            }

            var result = await Client.SubmitTransactionAsync(QueueTable, operations, cancellationToken);
            if (result.Succeeded)
            {
                intentDeleted |= withIntent;
                continue;
            }

            // Some item is there already (recovery and a writer overlapped), or the intent went: item by item.
            oneByOne = true;
            foreach (var row in workRows.Skip(c * ItemsPerTransaction))
            {
                await Client.SubmitTransactionAsync(QueueTable, QueueRows(row).Select(TableOperation.Insert).ToList(), cancellationToken);
            }
        }

        if (!intentDeleted)
        {
            await Client.ExecuteAsync(QueueTable, TableOperation.Delete(TableRows.QueuePartition, intentKey!, "*"), cancellationToken, 404);
        }
    }

    /// <summary>
    /// The work row of an item in its request's partition, as a commit writes it. <paramref name="relayed"/>: whether the
    /// item also has a copy in the queue partition, the relay's index (false for work a step of the request's orchestration
    /// commits and takes back in its result: only its work row tracks it).
    /// </summary>
    internal static TableEntity WorkRow(Core.Ports.WorkItem item, DateTimeOffset createdAt, bool relayed) =>
        new TableEntity(TableRows.RequestPartition(item.RequestId), TableRows.Work(item.Id))
        {
            Description = $"work item {item.Id} of request {item.RequestId}",
        }
            .Set("ItemId", item.Id)
            .Set("RequestId", item.RequestId)
            .Set("Kind", item.Kind)
            .SetText("Payload", item.Payload)
            .Set("NotBefore", AuditChain.FormatInstant(item.NotBefore))
            .Set("State", TableRows.Pending)
            .Set("Attempts", 0)
            .Set("Relayed", relayed)
            .Set("CreatedAt", AuditChain.FormatInstant(createdAt));

    /// <summary>Whether an item has a copy in the relay's queue partition (rows written before the flag existed all do).</summary>
    internal static bool IsRelayed(TableEntity work) => !work.Properties.TryGetValue("Relayed", out var relayed) || relayed is not false;

    /// <summary>An item's queue marker and row: pending under its due time, or, handed over, sent (as the relay marks what it handed over).</summary>
    private static TableEntity[] QueueRowsFor(TableEntity work, bool handedOver)
    {
        var itemId = work.GetString("ItemId");
        var due = AuditChain.ParseInstant(work.GetString("NotBefore"));
        var dueKey = handedOver ? TableRows.SentItem(due, itemId) : TableRows.Due(due, itemId);
        var row = QueueRow(work, dueKey, handedOver ? TableRows.Sent : TableRows.Pending, due, attempts: 0, token: null);
        return [QueueMarker(row), row];
    }

    /// <summary>An item's queue row (the relay's index of it) under <paramref name="rowKey"/>, from its work row.</summary>
    internal static TableEntity QueueRow(TableEntity work, string rowKey, string state, DateTimeOffset due, int attempts, string? token)
    {
        var itemId = work.GetString("ItemId");
        return new TableEntity(TableRows.QueuePartition, rowKey) { Description = $"queued work item {itemId}" }
            .Set("ItemId", itemId)
            .Set("RequestId", work.GetString("RequestId"))
            .Set("Kind", work.GetString("Kind"))
            .SetText("Payload", work.GetText("Payload"))
            .Set("Due", AuditChain.FormatInstant(due))
            .Set("State", state)
            .Set("Attempts", attempts)
            .Set("LeaseToken", token);
    }

    /// <summary>The marker that says where <paramref name="row"/> is and who holds it.</summary>
    internal static TableEntity QueueMarker(TableEntity row)
    {
        var marker = AzureTableWorkQueue.Marker(row, row.RowKey, row.GetString("State"), row.GetInt32("Attempts"), row.GetStringOrNull("LeaseToken"));
        marker.Description = $"queue marker of work item {row.GetString("ItemId")}";
        return marker;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,49}$")]
    private static partial Regex TablePrefixPattern();
}
