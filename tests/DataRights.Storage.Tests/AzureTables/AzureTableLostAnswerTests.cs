using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Storage.AzureTables;
using DataRights.Storage.Tests.Infrastructure;
using static DataRights.Storage.Tests.Infrastructure.Requests;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// A commit whose transaction landed but whose answer was lost (the SDK sent it again, and the second send was refused
/// as the first had already written) is recognised as landed, even when another writer's commit followed it before it
/// could be read again: its audit entries are in the trail, where the request row names the later commit.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableLostAnswerTests(AzuriteFixture azurite)
{
    private static CancellationToken None => CancellationToken.None;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ACommitThatLanded_ThoughItsAnswerWasLost_AndAnotherWriterFollowed_IsTakenAsLanded(bool decidedOnThisProcesssRead)
    {
        var connection = azurite.NewConnection();
        var resend = new ResendAfterLanding();
        var tables = new AzureTableStore(connection with { Transport = new global::Azure.Core.Pipeline.HttpClientTransport(resend), MaxRetries = 0 });
        await tables.InitializeAsync(None);
        var store = new AzureTableRequestStore(tables);
        var other = new AzureTableRequestStore(new AzureTableStore(connection));
        var submitted = (await other.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var read = decidedOnThisProcesssRead ? (await store.GetAsync(submitted.Id, None))! : submitted;
        var (mine, myAudit) = Advance(read, RequestStatus.Verified, T0);

        // Our transaction lands; before its answer comes, another writer reads it and commits the next step; the SDK's
        // second send of our transaction is then refused.
        DataSubjectRequest? theirs = null;
        resend.AfterLanding = async () =>
        {
            var current = (await other.GetAsync(submitted.Id, None))!;
            var next = Advance(current, RequestStatus.Discovering, T0.AddSeconds(1));
            Assert.True(await other.CommitAsync(next.Updated, current.Version, next.Audit, None));
            theirs = next.Updated;
        };

        Assert.True(await store.CommitAsync(Owing(mine, "mine", T0), read.Version, myAudit, None));

        Assert.Equal(1, resend.Resent);
        var stored = (await other.GetWithOpenWorkAsync(submitted.Id, None))!;
        Assert.Equal(RequestStatus.Discovering, stored.Request.Status);
        Assert.Equal(theirs!.Version, stored.Request.Version);
        var trail = await other.GetAuditTrailAsync(submitted.Id, None);
        Assert.Contains(trail, e => e.Hash == myAudit[0].Hash);
        Assert.Contains(stored.OpenWork, w => w.Id == $"{submitted.Id}:mine");
    }

    [Fact]
    public async Task ACommitRefusedBecauseAnotherWriterWasFirst_IsStillRefused()
    {
        var connection = azurite.NewConnection();
        var tables = new AzureTableStore(connection);
        await tables.InitializeAsync(None);
        var store = new AzureTableRequestStore(tables);
        var other = new AzureTableRequestStore(new AzureTableStore(connection));
        var submitted = (await store.SubmitAsync(New(), T0 - Window, Start, None)).Request;
        var read = (await store.GetAsync(submitted.Id, None))!;

        // The other writer decided on the same version and committed first, with the same audit sequence.
        var (theirs, theirAudit) = Advance(read, RequestStatus.Verified, T0);
        Assert.True(await other.CommitAsync(theirs, read.Version, theirAudit, None));
        var (mine, myAudit) = Advance(read, RequestStatus.Rejected, T0.AddSeconds(1));

        Assert.False(await store.CommitAsync(mine, read.Version, myAudit, None));

        var trail = await store.GetAuditTrailAsync(submitted.Id, None);
        Assert.DoesNotContain(trail, e => e.Hash == myAudit[0].Hash);
        Assert.Contains(trail, e => e.Hash == theirAudit[0].Hash);
    }

    [Fact]
    public async Task AnAppendToTheRetentionChainThatLanded_ThoughItsAnswerWasLost_AndAnotherFollowed_IsNotAppendedTwice()
    {
        var connection = azurite.NewConnection();
        var resend = new ResendAfterLanding();
        var tables = new AzureTableStore(connection with { Transport = new global::Azure.Core.Pipeline.HttpClientTransport(resend), MaxRetries = 0 });
        await tables.InitializeAsync(None);
        var otherTables = new AzureTableStore(connection);
        var policies = new AzureTableRetentionPolicyStore(tables);
        var others = new AzureTableRetentionPolicyStore(otherTables);
        RetentionPolicy Policy(string region) =>
            new(region, [new RetentionRule { Category = "telephony.cdr", MaxAge = "P6M", CountsFrom = RetentionEvents.Created, Basis = "Disputes" }]);
        resend.AfterLanding = () => others.SaveAsync(Policy("eu"), "staff:sam", T0.AddMinutes(1), None);

        await policies.SaveAsync(Policy("uk"), "staff:priya", T0, None);

        Assert.Equal(1, resend.Resent);
        var purges = new AzureTablePurgeStore(otherTables);
        var chain = await purges.AuditTrailAsync(null, None);
        Assert.Equal(["staff:priya", "staff:sam"], chain.Select(e => e.Actor));
        Assert.True((await purges.VerifyAuditAsync(None)).IsValid);
    }
}
