using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Host.Durable;
using DataRights.Host.Workflow;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// <see cref="RunSourceStepActivity"/> on Azurite: a source's search that the request's stage lists, with no work item
/// behind it, asks the source once however often it runs, and a source that stays down is tried again when the step
/// says, then recorded as failed on the last attempt.
/// </summary>
public sealed class RunSourceStepActivityTests
{
    [Fact]
    public async Task ASearch_RunTwice_AsksTheSourceOnce_AndTheStageNoLongerListsIt()
    {
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add("jane.doe@example.com", 2); // the address SubmitAsync submits
        var (factory, id) = await VerifiedAsync(crm, maxAttempts: 3);
        using (factory)
        {
            var store = factory.Services.GetRequiredService<IRequestStore>();
            var before = (await store.GetAsync(id, CancellationToken.None))!;
            Assert.Equal([new PendingSourceStep(SourceStep.Discover, "crm", 1), new PendingSourceStep(SourceStep.Discover, "billing", 1)], RequestStage.Of(before).Steps);
            var activity = factory.Services.GetRequiredService<RunSourceStepActivity>();
            var step = new SourceStepRun(id, "discover", "crm", 1, Attempt: 1);

            var first = await activity.CarryOutAsync(step, CancellationToken.None);
            var again = await activity.CarryOutAsync(step, CancellationToken.None);

            Assert.Equal((WorkResult.Done, WorkResult.Done), (first.Result, again.Result));
            Assert.Equal(1, crm.DiscoverCalls);
            Assert.Equal([new PendingSourceStep(SourceStep.Discover, "billing", 1)], first.Stage!.Steps);
            Assert.Equal(first.Stage.Version, again.Stage!.Version);
            var request = (await store.GetAsync(id, CancellationToken.None))!;
            Assert.Equal((StepState.Succeeded, 2), (request.Progress.Source("crm")!.Discovery, request.Progress.Source("crm")!.Findings!.RecordCount));
            Assert.Single(await store.GetAuditTrailAsync(id, CancellationToken.None), e => e.Action == "source.discovered");
        }
    }

    [Fact]
    public async Task ASearchThisProcessKnowsAsDone_IsRunWhenAFreshReadFindsItOpenAgain_AnotherInstanceHavingOpenedIt()
    {
        // The step takes the request as this process last knew it: crm searched. Another instance has since opened crm's
        // search again (as a staff retry would); the step finds it done on the row it knew, and searches only because a
        // fresh read says otherwise.
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add("jane.doe@example.com", 2);
        var (factory, id) = await VerifiedAsync(crm, maxAttempts: 3);
        using (factory)
        {
            var activity = factory.Services.GetRequiredService<RunSourceStepActivity>();
            var step = new SourceStepRun(id, "discover", "crm", 1, Attempt: 1);
            await activity.CarryOutAsync(step, CancellationToken.None);
            var tables = factory.Services.GetRequiredService<DataRights.Storage.AzureTables.AzureTableStore>();
            var other = new DataRights.Storage.AzureTables.AzureTableRequestStore(new DataRights.Storage.AzureTables.AzureTableStore(tables.Connection, factory.Clock));
            var searched = (await other.GetAsync(id, CancellationToken.None))!;
            var reopened = searched with
            {
                Version = searched.Version + 1,
                Progress = searched.Progress with
                {
                    Sources = [.. searched.Progress.Sources.Select(s => s.Key == "crm" ? s with { Discovery = StepState.Pending, Findings = null } : s)],
                },
            };
            Assert.True(await other.CommitAsync(reopened, searched.Version, [], CancellationToken.None));

            var again = await activity.CarryOutAsync(step, CancellationToken.None);

            Assert.Equal(WorkResult.Done, again.Result);
            Assert.Equal(2, crm.DiscoverCalls);
            var request = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None))!;
            Assert.Equal(StepState.Succeeded, request.Progress.Source("crm")!.Discovery);
        }
    }

    [Fact]
    public async Task ASourceThatStaysDown_IsTriedAgainWhenTheStepSays_AndRecordedAsFailedOnTheLastAttempt()
    {
        var crm = new InMemoryDataSource("crm", "CRM") { FailDiscoveries = int.MaxValue };
        var (factory, id) = await VerifiedAsync(crm, maxAttempts: 2);
        using (factory)
        {
            var store = factory.Services.GetRequiredService<IRequestStore>();
            var activity = factory.Services.GetRequiredService<RunSourceStepActivity>();

            var first = await activity.CarryOutAsync(new SourceStepRun(id, "discover", "crm", 1, Attempt: 1), CancellationToken.None);

            // Not the last attempt: nothing recorded, and the step says when to try again.
            Assert.Equal(WorkResult.Failed, first.Result);
            Assert.True(first.RetryAt > first.At, "no time to try again");
            Assert.Equal(StepState.Pending, (await store.GetAsync(id, CancellationToken.None))!.Progress.Source("crm")!.Discovery);
            Assert.Contains(factory.Logs.Lines, l => l.Contains($"Source step {id}:discover:crm:1 (discover) failed on attempt 1", StringComparison.Ordinal));

            var last = await activity.CarryOutAsync(new SourceStepRun(id, "discover", "crm", 1, Attempt: 2), CancellationToken.None);

            // The last attempt records the source's failure: the request goes on without it.
            Assert.Equal(WorkResult.Done, last.Result);
            var crmProgress = (await store.GetAsync(id, CancellationToken.None))!.Progress.Source("crm")!;
            Assert.Equal((StepState.Failed, "InvalidOperationException (after 2 attempts)"), (crmProgress.Discovery, crmProgress.DiscoveryError));
            Assert.Equal(2, crm.DiscoverCalls);
            Assert.DoesNotContain(last.Stage!.Steps, s => s.Source == "crm");
        }
    }

    [Fact]
    public async Task ASearchThatKeptStoppingTheProgram_RecordsTheSourcesFailure_WithoutAskingIt_Once()
    {
        // The orchestration gives up crm's search (it was in progress each time the program stopped): the step records
        // crm's failure, saying why in plain words, and asks crm nothing; run again, it changes nothing.
        var crm = new InMemoryDataSource("crm", "CRM");
        var (factory, id) = await VerifiedAsync(crm, maxAttempts: 3);
        using (factory)
        {
            var store = factory.Services.GetRequiredService<IRequestStore>();
            var activity = factory.Services.GetRequiredService<RunSourceStepActivity>();
            var givenUp = new SourceStepRun(id, "discover", "crm", 1, Attempt: 1) { StoppedTheProgram = true };

            var first = await activity.CarryOutAsync(givenUp, CancellationToken.None);
            var again = await activity.CarryOutAsync(givenUp, CancellationToken.None);

            Assert.Equal((WorkResult.Done, WorkResult.Done), (first.Result, again.Result));
            Assert.Equal(0, crm.DiscoverCalls);
            var crmProgress = (await store.GetAsync(id, CancellationToken.None))!.Progress.Source("crm")!;
            Assert.Equal((StepState.Failed, RunSourceStepActivity.StoppedTheProgramError), (crmProgress.Discovery, crmProgress.DiscoveryError));
            Assert.Equal(first.Stage!.Version, again.Stage!.Version);
            Assert.DoesNotContain(first.Stage.Steps, s => s.Source == "crm");
            Assert.Single(await store.GetAuditTrailAsync(id, CancellationToken.None), e => e.Action == "source.discovery_failed");
        }
    }

    [Fact]
    public async Task AStepThatIsNotASourceStep_IsRefused_AndChangesNothing()
    {
        var (factory, id) = await VerifiedAsync(new InMemoryDataSource("crm", "CRM"), maxAttempts: 3);
        using (factory)
        {
            var activity = factory.Services.GetRequiredService<RunSourceStepActivity>();
            var version = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None))!.Version;

            await Assert.ThrowsAsync<ArgumentException>(() => activity.CarryOutAsync(new SourceStepRun(id, "purge", "crm", 1, Attempt: 1), CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => activity.CarryOutAsync(new SourceStepRun(id, "discover", "crm", 0, Attempt: 1), CancellationToken.None));

            Assert.Equal(version, (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None))!.Version);
        }
    }

    /// <summary>A request submitted and verified by staff with crm and billing to search, its orchestration held back.</summary>
    private static async Task<(DataRightsFactory Factory, string Id)> VerifiedAsync(InMemoryDataSource crm, int maxAttempts)
    {
        var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Workflow:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            Sources = new InMemorySourceRegistry(crm, new InMemoryDataSource("billing", "Billing")),
            AnnounceOnlyWhenDrained = true,
        };
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        await factory.Services.GetRequiredService<WorkflowEngine>().ApplyAsync(id, new IdentityVerified("staff:test", IdentityVerified.ByStaff, null), CancellationToken.None);
        return (factory, id);
    }
}
