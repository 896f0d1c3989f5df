using DataRights.Core.Email;
using DataRights.Storage.AzureTables;
using DataRights.Storage.Tests.Infrastructure;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>Copies of emails sent, kept in their request's partition: one per message id, found only under their own request.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableSentEmailCopiesTests(AzuriteFixture azurite)
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Keep_SameMessageTwice_KeepsTheFirstCopyOnly()
    {
        var copies = new AzureTableSentEmailCopies(await azurite.NewStoreAsync());
        var first = Copy("dr_a", "dr_a:message:verification:1", T0, "Please confirm your request");

        Assert.True(await copies.KeepAsync(first, None));
        Assert.False(await copies.KeepAsync(first with { SentAt = T0.AddMinutes(5), Subject = "Changed" }, None));

        Assert.Equal(first, Assert.Single(await copies.ListAsync("dr_a", None)));
        Assert.Equal(first, await copies.FindAsync("dr_a", "dr_a:message:verification:1", None));
    }

    [Fact]
    public async Task ListAndFind_OnlyTheRequestsOwnCopies_OldestFirst()
    {
        var copies = new AzureTableSentEmailCopies(await azurite.NewStoreAsync());
        var later = Copy("dr_a", "dr_a:message:completion:1", T0.AddDays(3), "Your request is complete", EmailAudience.Requester);
        var earlier = Copy("dr_a", "dr_a:message:approval-request:1#0", T0.AddDays(1), "Please approve", EmailAudience.Approvers);
        var other = Copy("dr_b", "dr_b:message:verification:1", T0, "Please confirm");
        foreach (var copy in new[] { later, earlier, other })
        {
            await copies.KeepAsync(copy, None);
        }

        Assert.Equal([earlier, later], await copies.ListAsync("dr_a", None));
        Assert.Null(await copies.FindAsync("dr_a", other.MessageId, None));
        Assert.Null(await copies.FindAsync("dr_a", "dr_a:message:nothing:1", None));
        Assert.Empty(await copies.ListAsync("dr_c", None));
    }

    [Fact]
    public async Task Keep_BesideARequest_LeavesTheRequestAndItsTrailAsTheyWere()
    {
        var store = await azurite.NewStoreAsync();
        var requests = new AzureTableRequestStore(store);
        var copies = new AzureTableSentEmailCopies(store);
        var submitted = (await requests.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var trail = await requests.GetAuditTrailAsync(submitted.Id, None);
        var body = string.Join("\r\n", Enumerable.Range(0, 4000).Select(i => $"Line {i} of a long completion email."));

        await copies.KeepAsync(Copy(submitted.Id, submitted.Id + ":verification:1", T0, "Please confirm") with { Body = body }, None);

        var read = await requests.GetAsync(submitted.Id, None);
        Assert.Equal((submitted.Version, submitted.Status, submitted.AuditHead), (read!.Version, read.Status, read.AuditHead));
        Assert.Equal(trail.Select(e => e.Hash), (await requests.GetAuditTrailAsync(submitted.Id, None)).Select(e => e.Hash));
        Assert.Equal(body, Assert.Single(await copies.ListAsync(submitted.Id, None)).Body);
    }

    private static SentEmailCopy Copy(string requestId, string messageId, DateTimeOffset at, string subject, EmailAudience audience = EmailAudience.Requester) =>
        new(requestId, messageId, at, audience, "kim.lee@example.com", subject, "Dear Kim,\r\n\r\n[link: Confirm my request — removed from this copy]\r\n");
}
