using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables;
using DataRights.Storage.Tests.Infrastructure;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>Public submissions kept between their answer and their taking in: read back as sent, listed by age, removed once.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableSubmissionInboxTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Add_ThenGet_GivesBackWhatWasSent_EveryFieldAndDetail()
    {
        var inbox = new AzureTableSubmissionInbox(await azurite.NewStoreAsync());
        var sent = new ReceivedSubmission("dr_0123456789abcdef01234567", IntakeChannel.WebForm, Noon.AddTicks(1234567), new IntakeSubmission(
            "erasure", "zoë@example.com", "Zoë O'Brien-Łukasz", "UK", "ACC-7", string.Concat(Enumerable.Repeat("Dear team, please erase. ", 150)))
        {
            DataPoints = new Dictionary<string, string> { ["postcode"] = "SW1A 1AA", ["phone-last-4"] = "1234" },
        });

        await inbox.AddAsync(sent, None);
        var read = await inbox.GetAsync(sent.Id, None);

        Assert.NotNull(read);
        Assert.Equal(sent with { Submission = read.Submission }, read);
        Assert.Equal(sent.Submission with { DataPoints = read.Submission.DataPoints }, read.Submission);
        Assert.Equal(sent.Submission.DataPoints, read.Submission.DataPoints);
        Assert.Null(await inbox.GetAsync("dr_ffffffffffffffffffffffff", None));
    }

    [Fact]
    public async Task List_GivesTheOnesReceivedBeforeATime_OldestFirst_AndRemove_TakesOneOutOnce()
    {
        var inbox = new AzureTableSubmissionInbox(await azurite.NewStoreAsync());
        foreach (var (id, minutes) in new[] { ("dr_b", -30), ("dr_a", -20), ("dr_c", -5) })
        {
            await inbox.AddAsync(new ReceivedSubmission(id, IntakeChannel.Api, Noon.AddMinutes(minutes), new IntakeSubmission("access", "p@example.com", "P", null, null, null)), None);
        }

        Assert.Equal(["dr_b", "dr_a"], (await inbox.ListAsync(Noon.AddMinutes(-10), 10, None)).Select(s => s.Id));
        Assert.Equal(["dr_b"], (await inbox.ListAsync(Noon.AddMinutes(-10), 1, None)).Select(s => s.Id));

        await inbox.RemoveAsync("dr_b", None);
        await inbox.RemoveAsync("dr_b", None);

        Assert.Null(await inbox.GetAsync("dr_b", None));
        Assert.Equal(["dr_a", "dr_c"], (await inbox.ListAsync(DateTimeOffset.MaxValue, 10, None)).Select(s => s.Id));
    }
}
