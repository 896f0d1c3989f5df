using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables;
using DataRights.Storage.Tests.Infrastructure;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>Records of requests set aside that staff handled by hand: read back as kept, written once, the latest first, apart from the inbox.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableHandledSubmissionsTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Record_ThenList_GivesBackEachField_TheLatestFirst_OrByReceipt_AndASecondRecordForOneSubmissionKeepsTheFirst()
    {
        var store = await azurite.NewStoreAsync();
        var records = new AzureTableHandledSubmissions(store);
        var inbox = new AzureTableSubmissionInbox(store);
        await inbox.AddAsync(new ReceivedSubmission("dr_kept", IntakeChannel.WebForm, Noon, new IntakeSubmission("access", "k@example.com", "K", "UK", null, null)), None);
        var stopped = new HandledSubmission(
            "dr_stopped", Noon.AddDays(-3).AddTicks(7), "erasure", "UK", new DateOnly(2027, 1, 4), new SubmissionSetAside(Noon.AddDays(-2), 3, TryAgain: false),
            Noon.AddHours(-1), "Priya Officer", string.Concat(Enumerable.Repeat("Answered by email from the privacy mailbox, ticket PRIV-12. ", 30)), HandledOutcome.DoneInPart, new DateOnly(2026, 12, 6));
        var failing = new HandledSubmission(
            "dr_failing", Noon.AddDays(-5), "access", "CA-QC", null, new SubmissionSetAside(Noon.AddDays(-4), 0, TryAgain: false, "IOException"),
            Noon, "Ana Lopez", "Sent the export by post.", HandledOutcome.Withdrawn, new DateOnly(2026, 12, 7));

        await records.RecordAsync(stopped, None);
        await records.RecordAsync(failing, None);
        await records.RecordAsync(stopped with { HandledAt = Noon.AddHours(1), HandledBy = "Someone Else", Note = "Again" }, None);

        Assert.Equal([failing, stopped], await records.ListAsync(10, None));
        Assert.Equal([failing], await records.ListAsync(1, None));

        // For the metrics, by when they were received.
        Assert.Equal([failing, stopped], await records.ListReceivedAsync(Noon.AddDays(-5), Noon, 10, None));
        Assert.Equal([stopped], await records.ListReceivedAsync(Noon.AddDays(-5).AddTicks(1), Noon, 10, None));
        Assert.Empty(await records.ListReceivedAsync(Noon.AddDays(-3).AddTicks(8), Noon, 10, None));

        // Kept apart from the submissions waiting to be taken in.
        Assert.Equal(["dr_kept"], (await inbox.ListAsync(DateTimeOffset.MaxValue, 10, None)).Select(s => s.Id));
        Assert.Empty(await inbox.ListSetAsideAsync(10, None));
    }
}
