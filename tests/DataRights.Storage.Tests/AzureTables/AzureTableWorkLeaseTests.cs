using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Entities;
using DataRights.Storage.Tests.Infrastructure;
using Xunit.Abstractions;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// A step's lease lives on its item's work row in the request's partition: leased with one write conditional on that row's
/// ETag, and completed, retried, dead-lettered or extended only while the lease's token still holds it. Nothing else
/// records the item: no queue partition row follows it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableWorkLeaseTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task LeaseDelivered_WritesTheLeaseOnTheWorkRow_AndNothingInTheQueuePartition()
    {
        var (tables, id, item) = await RequestWithItemAsync();
        var outbox = new AzureTableWorkOutbox(tables);

        var lease = (await outbox.LeaseDeliveredAsync(id, item, T0, Lease, TimeSpan.Zero, None)).Lease!;

        var work = await WorkRowAsync(tables, id, item);
        Assert.Equal(TableRows.Leased, work.GetString("State"));
        Assert.Equal(lease.LeaseToken, work.GetString("LeaseToken"));
        Assert.Equal(T0 + Lease, AuditChain.ParseInstant(work.GetString("LeaseUntil")));
        Assert.Equal(1, work.GetInt32("Attempts"));
        Assert.Equal(T0, AuditChain.ParseInstant(work.GetString("NotBefore")));
    }

    [Fact]
    public async Task LeaseDelivered_ManyAtOnceOnOneWorkRow_ExactlyOneWins_AndOnlyItsTokenCompletes()
    {
        var (tables, id, item) = await RequestWithItemAsync();

        // Separate store objects share nothing in memory, as separate hosts would: only the work row's ETag keeps them apart.
        var outboxes = Enumerable.Range(0, 8).Select(_ => new AzureTableWorkOutbox(new AzureTableStore(tables.Connection))).ToList();
        var deliveries = await Task.WhenAll(outboxes.Select(o => Task.Run(() => o.LeaseDeliveredAsync(id, item, T0, Lease, TimeSpan.Zero, None))));

        var winner = Assert.Single(deliveries, d => d.Outcome == DeliveryOutcome.Leased).Lease!;
        Assert.All(deliveries.Where(d => d.Outcome != DeliveryOutcome.Leased), d => Assert.Equal(DeliveryOutcome.InProgress, d.Outcome));
        Assert.Equal(1, winner.Attempt);
        var work = await WorkRowAsync(tables, id, item);
        Assert.Equal(winner.LeaseToken, work.GetString("LeaseToken"));
        Assert.Equal(1, work.GetInt32("Attempts"));
        var queue = new AzureTableWorkQueue(tables);
        Assert.False(await queue.CompleteAsync(winner with { LeaseToken = "not-the-winners" }, T0, None));
        Assert.True(await queue.CompleteAsync(winner, T0, None));
    }

    [Fact]
    public async Task ALapsedLease_IsTakenOver_AndTheFirstHoldersCompletionRetryDeadLetterAndExtension_ChangeNothingOnTheWorkRow()
    {
        var (tables, id, item) = await RequestWithItemAsync();
        var outbox = new AzureTableWorkOutbox(tables);
        var queue = new AzureTableWorkQueue(tables);
        var first = (await outbox.LeaseDeliveredAsync(id, item, T0, Lease, TimeSpan.Zero, None)).Lease!;

        var takeover = await outbox.LeaseDeliveredAsync(id, item, T0 + Lease, Lease, TimeSpan.Zero, None);
        Assert.Equal(DeliveryOutcome.Leased, takeover.Outcome);
        var held = await WorkRowAsync(tables, id, item);

        Assert.False(await queue.CompleteAsync(first, T0 + Lease, None));
        Assert.False(await queue.RetryAsync(first, T0.AddDays(1), "late", None));
        Assert.False(await queue.DeadLetterAsync(first, T0 + Lease, "late", None));
        Assert.False(await outbox.ExtendLeaseAsync(first, T0.AddDays(1), None));

        var after = await WorkRowAsync(tables, id, item);
        Assert.Equal(held.ETag, after.ETag);
        Assert.Equal(TableRows.Leased, after.GetString("State"));
        Assert.Equal(takeover.Lease!.LeaseToken, after.GetString("LeaseToken"));
        Assert.Equal(T0 + Lease + Lease, AuditChain.ParseInstant(after.GetString("LeaseUntil")));
        Assert.Equal(2, after.GetInt32("Attempts"));
        Assert.Null(after.GetStringOrNull("LastError"));
        Assert.Null(after.GetStringOrNull("FinishedAt"));
        Assert.True(await queue.CompleteAsync(takeover.Lease, T0 + Lease, None));
        Assert.Equal(TableRows.Done, (await WorkRowAsync(tables, id, item)).GetString("State"));
    }

    [Fact]
    public async Task Retry_SetsTheWorkRowPendingAtItsNewTime_WithItsError()
    {
        var (tables, id, item) = await RequestWithItemAsync();
        var lease = (await new AzureTableWorkOutbox(tables).LeaseDeliveredAsync(id, item, T0, Lease, TimeSpan.Zero, None)).Lease!;

        Assert.True(await new AzureTableWorkQueue(tables).RetryAsync(lease, T0.AddMinutes(10), "source timed out", None));

        var work = await WorkRowAsync(tables, id, item);
        Assert.Equal(TableRows.Pending, work.GetString("State"));
        Assert.Equal(T0.AddMinutes(10), AuditChain.ParseInstant(work.GetString("NotBefore")));
        Assert.Equal("source timed out", work.GetString("LastError"));
        Assert.Null(work.GetStringOrNull("LeaseToken"));
        Assert.Null(work.GetStringOrNull("LeaseUntil"));
        Assert.Equal(1, work.GetInt32("Attempts"));
    }

    [Fact]
    public async Task Finish_RecordsTheFinalStateOnTheWorkRow()
    {
        var (tables, id, item) = await RequestWithItemAsync();
        var lease = (await new AzureTableWorkOutbox(tables).LeaseDeliveredAsync(id, item, T0, Lease, TimeSpan.Zero, None)).Lease!;

        Assert.True(await new AzureTableWorkQueue(tables).DeadLetterAsync(lease, T0.AddMinutes(1), "gave up", None));

        var work = await WorkRowAsync(tables, id, item);
        Assert.Equal(TableRows.Dead, work.GetString("State"));
        Assert.Equal(T0.AddMinutes(1), AuditChain.ParseInstant(work.GetString("FinishedAt")));
        Assert.Equal("gave up", work.GetString("LastError"));
        Assert.Null(work.GetStringOrNull("LeaseToken"));
        var again = await new AzureTableWorkOutbox(tables).LeaseDeliveredAsync(id, item, T0.AddMinutes(2), Lease, TimeSpan.Zero, None);
        Assert.Equal((DeliveryOutcome.DeadLettered, "gave up"), (again.Outcome, again.Error));
    }

    [Fact]
    public async Task AStep_LeasesARowItsProcessWroteInOneWrite_ARowReadInTwo_ThenExtendsCompletesOrRetriesInOneWriteEach()
    {
        // Only the item's work row is read and written. The first lease writes on the ETag this process's commit got back
        // for the row; a lease of a row it did not just write (here, after a retry) reads it first; the holder's later
        // writes go on the ETag its lease last wrote, with no read.
        var (tables, id, item) = await RequestWithItemAsync();
        var outbox = new AzureTableWorkOutbox(tables);
        var queue = new AzureTableWorkQueue(tables);

        var start = tables.RoundTrips;
        var lease = (await outbox.LeaseDeliveredAsync(id, item, T0, Lease, TimeSpan.Zero, None)).Lease!;
        var leased = tables.RoundTrips;
        var looked = tables.RoundTrips;
        Assert.True(await outbox.ExtendLeaseAsync(lease, T0 + Lease + Lease, None));
        var extended = tables.RoundTrips;
        Assert.True(await queue.RetryAsync(lease, T0.AddMinutes(1), "busy", None));
        var retried = tables.RoundTrips;
        var again = (await outbox.LeaseDeliveredAsync(id, item, T0.AddMinutes(1), Lease, TimeSpan.Zero, None)).Lease!;
        var leasedAgain = tables.RoundTrips;
        Assert.True(await queue.CompleteAsync(again, T0.AddMinutes(2), None));
        var completed = tables.RoundTrips;
        var notNow = await outbox.LeaseDeliveredAsync(id, item, T0.AddMinutes(3), Lease, TimeSpan.Zero, None);
        var finished = tables.RoundTrips;

        output.WriteLine(
            $"Round trips: lease {leased - start}, extension {extended - looked}, retry {retried - extended}, lease {leasedAgain - retried}, completion {completed - leasedAgain}, delivery of a finished item {finished - completed}");
        Assert.Equal(DeliveryOutcome.AlreadyFinished, notNow.Outcome);
        Assert.Equal(1, leased - start);
        Assert.Equal(1, extended - looked);
        Assert.Equal(1, retried - extended);
        Assert.Equal(2, leasedAgain - retried);
        Assert.Equal(1, completed - leasedAgain);
        Assert.Equal(1, finished - completed);
    }

    [Fact]
    public async Task AWorkRowWrittenAtSubmission_IsLeasedInOneWrite_ByTheProcessThatWroteIt()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var stored = (await store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var work = (await store.GetWithOpenWorkAsync(stored.Id, None))!.OpenWork.Where(w => w.NotBefore <= T0).Select(w => w.Id).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(work);

        var start = tables.RoundTrips;
        var mine = await new AzureTableWorkOutbox(tables).LeaseDeliveredAsync(stored.Id, work[0], T0, Lease, TimeSpan.Zero, None);
        Assert.Equal(DeliveryOutcome.Leased, mine.Outcome);
        Assert.Equal(1, tables.RoundTrips - start);
    }

    [Fact]
    public async Task ARowItsProcessWrote_ButAnotherProcessLeasedSince_IsReadAndFoundInProgress_NotLeasedTwice()
    {
        var (tables, id, item) = await RequestWithItemAsync();
        var other = (await new AzureTableWorkOutbox(new AzureTableStore(tables.Connection)).LeaseDeliveredAsync(id, item, T0, Lease, TimeSpan.Zero, None)).Lease!;

        var start = tables.RoundTrips;
        var mine = await new AzureTableWorkOutbox(tables).LeaseDeliveredAsync(id, item, T0, Lease, TimeSpan.Zero, None);

        // The write on the commit's ETag was refused, the row read: the other process holds it.
        Assert.Equal(DeliveryOutcome.InProgress, mine.Outcome);
        Assert.Equal(2, tables.RoundTrips - start);
        var work = await WorkRowAsync(tables, id, item);
        Assert.Equal(other.LeaseToken, work.GetString("LeaseToken"));
        Assert.Equal(1, work.GetInt32("Attempts"));
    }

    [Fact]
    public async Task ARowItsProcessWrote_TouchedSince_IsReadAndLeased_KeepingTheChange()
    {
        var (tables, id, item) = await RequestWithItemAsync();
        var row = await WorkRowAsync(tables, id, item);
        var touch = new TableEntity(row.PartitionKey, row.RowKey).Set("Touched", true);
        Assert.True((await tables.Client.ExecuteAsync(tables.RequestsTable, TableOperation.Merge(touch, row.ETag!), None)).Succeeded);

        var start = tables.RoundTrips;
        var lease = await new AzureTableWorkOutbox(tables).LeaseDeliveredAsync(id, item, T0, Lease, TimeSpan.Zero, None);

        Assert.Equal(DeliveryOutcome.Leased, lease.Outcome);
        Assert.Equal(3, tables.RoundTrips - start);
        var work = await WorkRowAsync(tables, id, item);
        Assert.Equal(lease.Lease!.LeaseToken, work.GetString("LeaseToken"));
        Assert.True(work.GetBoolean("Touched"));
    }

    [Fact]
    public async Task ARowTouchedByAnotherWriterSinceTheLeaseWroteIt_IsReadAndCheckedByToken_ThenCompletedByItsHolder()
    {
        var (tables, id, item) = await RequestWithItemAsync();
        var queue = new AzureTableWorkQueue(tables);
        var lease = (await new AzureTableWorkOutbox(tables).LeaseDeliveredAsync(id, item, T0, Lease, TimeSpan.Zero, None)).Lease!;
        var row = await WorkRowAsync(tables, id, item);
        var touch = new TableEntity(row.PartitionKey, row.RowKey).Set("Touched", true);
        Assert.True((await tables.Client.ExecuteAsync(tables.RequestsTable, TableOperation.Merge(touch, row.ETag!), None)).Succeeded);

        var start = tables.RoundTrips;
        Assert.True(await queue.CompleteAsync(lease, T0.AddMinutes(1), None));

        // The write on the lease's own ETag was refused, the row read, its token still the lease's: written on the ETag read.
        Assert.Equal(3, tables.RoundTrips - start);
        var done = await WorkRowAsync(tables, id, item);
        Assert.Equal(TableRows.Done, done.GetString("State"));
        Assert.True(done.GetBoolean("Touched"));
    }

    /// <summary>A fresh store with a submitted request and one more item (due at T0) committed with its next state.</summary>
    private async Task<(AzureTableStore Tables, string Id, string Item)> RequestWithItemAsync()
    {
        var tables = await azurite.NewStoreAsync();
        var store = new AzureTableRequestStore(tables);
        var stored = (await store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var (updated, audit) = Advance(stored, RequestStatus.Verified, T0);
        Assert.True(await store.CommitAsync(updated, stored.Version, audit, [Item(stored.Id, "job", T0)], None));
        return (tables, stored.Id, $"{stored.Id}:job");
    }

    private static async Task<TableEntity> WorkRowAsync(AzureTableStore tables, string id, string item) =>
        (await tables.Client.GetAsync(tables.RequestsTable, TableRows.RequestPartition(id), TableRows.Work(item), None))!;
}
