using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Host.Durable;
using DataRights.Host.Workflow;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// A step of the work a request owes (<see cref="RunWorkItemActivity"/>), on Azurite: it runs the work once, records it
/// carried out in the request, counts its attempts from the orchestration's input, and gives up on the last.
/// </summary>
public sealed class WorkStepTests
{
    private const string DecidingKind = "test-deciding";
    private const string FailingKind = "test-failing";

    [Fact]
    public async Task CarryOut_RecordsTheWorkCarriedOut_AndARepeatedRunDoesNotRunItAgain()
    {
        var handler = new DecidingHandler();
        using var factory = Factory(handler);
        var step = await OwedItemAsync(factory, DecidingKind);
        factory.Clock.Advance(TimeSpan.FromMinutes(10)); // past the interval between verification emails
        var activity = factory.Services.GetRequiredService<RunWorkItemActivity>();

        var first = await activity.CarryOutAsync(step, CancellationToken.None);
        var again = await activity.CarryOutAsync(step, CancellationToken.None);

        Assert.Equal((WorkResult.Done, WorkResult.Done), (first.Result, again.Result));
        Assert.Equal(1, handler.Runs);
        var request = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(step.RequestId, CancellationToken.None))!;
        Assert.DoesNotContain(request.Progress.Owed, o => o.Id == step.ItemId);
        Assert.Contains(step.ItemId, request.Progress.WorkDone);

        // The first run hands back the work its decision owes (the email sent again), with the rest the request owes.
        Assert.Contains($"{step.RequestId}:message:verification:2", first.Open!.Select(w => w.Id));
        Assert.DoesNotContain(first.Open!, w => w.Id == step.ItemId);
    }

    [Fact]
    public async Task CarryOut_WhenAnotherInstanceChangedTheRequestWhileTheWorkRan_RecordsItOnTheRequestAsItNowIs()
    {
        // The step records its work on the request as this process last knew it, without reading it again; another
        // instance's commit meanwhile makes that write refused, and the step reads the request and records it there.
        var handler = new OtherInstanceHandler();
        using var factory = Factory(handler);
        var step = await OwedItemAsync(factory, OtherInstanceHandler.TheKind);
        var tables = factory.Services.GetRequiredService<DataRights.Storage.AzureTables.AzureTableStore>();
        handler.Other = new DataRights.Storage.AzureTables.AzureTableRequestStore(new DataRights.Storage.AzureTables.AzureTableStore(tables.Connection, factory.Clock));

        var outcome = await factory.Services.GetRequiredService<RunWorkItemActivity>().CarryOutAsync(step, CancellationToken.None);

        Assert.Equal(WorkResult.Done, outcome.Result);
        var request = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(step.RequestId, CancellationToken.None))!;
        Assert.Contains(step.ItemId, request.Progress.WorkDone);
        Assert.DoesNotContain(request.Progress.Owed, o => o.Id == step.ItemId);
        Assert.Contains(request.Progress.Owed, o => o.Id == OtherInstanceHandler.Written);
    }

    [Fact]
    public async Task CarryOut_AFailureBeforeTheLastAttempt_SaysWhenToTryAgain_AndTheLastGivesUp_WithoutTheErrorsText()
    {
        var handler = new FailingHandler();
        using var factory = Factory(handler, maxAttempts: 2);
        var step = await OwedItemAsync(factory, FailingKind);
        var activity = factory.Services.GetRequiredService<RunWorkItemActivity>();
        var store = factory.Services.GetRequiredService<IRequestStore>();

        var first = await activity.CarryOutAsync(step, CancellationToken.None);

        Assert.Equal(WorkResult.Failed, first.Result);
        Assert.True(first.RetryAt > factory.Clock.GetUtcNow(), "no time to try again was given");
        Assert.Contains((await store.GetAsync(step.RequestId, CancellationToken.None))!.Progress.Owed, o => o.Id == step.ItemId);

        var last = await activity.CarryOutAsync(step with { Attempt = 2 }, CancellationToken.None);
        var repeated = await activity.CarryOutAsync(step with { Attempt = 2 }, CancellationToken.None);

        Assert.Equal((WorkResult.GaveUp, WorkResult.Done), (last.Result, repeated.Result));
        Assert.Equal(2, handler.Runs);
        var request = (await store.GetAsync(step.RequestId, CancellationToken.None))!;
        Assert.DoesNotContain(request.Progress.Owed, o => o.Id == step.ItemId);
        var alert = Assert.Single(request.Progress.Alerts);
        Assert.Equal((step.ItemId, "InvalidOperationException (after 2 attempts)"), (alert.WorkItemId, alert.Error));
        var trail = await store.GetAuditTrailAsync(step.RequestId, CancellationToken.None);
        Assert.Single(trail, e => e.Action == "work.dead_lettered");
        Assert.DoesNotContain(trail, e => e.Details.Contains(FailingHandler.Quoted, StringComparison.Ordinal));
        Assert.Contains(request.Progress.Owed, o => o.Id.Contains(":message:staff-failure:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GiveUp_RecordsTheFailure_OnceOwed_AndChangesNothingOnceNotOwed()
    {
        var handler = new FailingHandler();
        using var factory = Factory(handler);
        var step = await OwedItemAsync(factory, FailingKind);
        var giveUp = factory.Services.GetRequiredService<GiveUpWorkItemActivity>();

        var gaveUp = await giveUp.CarryOutAsync(step, CancellationToken.None);
        var again = await giveUp.CarryOutAsync(step, CancellationToken.None);

        Assert.Equal((WorkResult.GaveUp, WorkResult.Done), (gaveUp.Result, again.Result));
        Assert.Equal(0, handler.Runs);
        var request = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(step.RequestId, CancellationToken.None))!;
        Assert.Equal(step.ItemId, Assert.Single(request.Progress.Alerts).WorkItemId);
        Assert.DoesNotContain(request.Progress.Owed, o => o.Id == step.ItemId);
    }

    [Fact]
    public async Task GiveUp_OfWorkThatKeptStoppingTheProgram_SaysSo_ToStaff()
    {
        var handler = new FailingHandler();
        using var factory = Factory(handler);
        var step = await OwedItemAsync(factory, FailingKind);

        var gaveUp = await factory.Services.GetRequiredService<GiveUpWorkItemActivity>().CarryOutAsync(step with { StoppedTheProgram = true }, CancellationToken.None);

        Assert.Equal(WorkResult.GaveUp, gaveUp.Result);
        Assert.Equal(0, handler.Runs);
        var request = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(step.RequestId, CancellationToken.None))!;
        var alert = Assert.Single(request.Progress.Alerts);
        Assert.Equal((step.ItemId, GiveUpWorkItemActivity.StoppedTheProgramError), (alert.WorkItemId, alert.Error));
    }

    [Fact]
    public async Task CarryOut_WorkNotDueYet_WaitsUntilItsTime_WithoutRunning()
    {
        var handler = new FailingHandler();
        using var factory = Factory(handler);
        var due = factory.Clock.GetUtcNow().AddHours(1);
        var step = await OwedItemAsync(factory, FailingKind, due);

        var outcome = await factory.Services.GetRequiredService<RunWorkItemActivity>().CarryOutAsync(step, CancellationToken.None);

        Assert.Equal((WorkResult.NotNow, (DateTimeOffset?)due), (outcome.Result, outcome.RetryAt));
        Assert.Equal(0, handler.Runs);
    }

    [Fact]
    public async Task LastAttemptWhoseSourceAnsweredButWhoseAnswerCannotBeRecorded_FailsTheStep_RatherThanRecordingTheSourceAsFailed()
    {
        // The source answered; the store then refused the commit recording it. That is not the source's failure: the step
        // fails and runs again (its handler is idempotent), and the request does not say the source failed.
        var crm = new DataRights.Testing.InMemoryDataSource("crm", "CRM");
        crm.Add("jane.doe@example.com", 2); // the address SubmitAsync submits
        using var factory = new DataRightsFactory { Sources = new DataRights.Testing.InMemorySourceRegistry(crm), AnnounceOnlyWhenDrained = true };
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        var store = factory.Services.GetRequiredService<IRequestStore>();
        await factory.Services.GetRequiredService<WorkflowEngine>().ApplyAsync(id, new IdentityVerified("staff:test", IdentityVerified.ByStaff, null), CancellationToken.None);
        var refusing = new Workflow.GatedRequestStore(store) { FailCommitOverEntries = 0 };
        refusing.ReleaseFirstRead();
        var handler = ActivatorUtilities.CreateInstance<SearchSourceStep>(factory.Services, ActivatorUtilities.CreateInstance<WorkflowEngine>(factory.Services, refusing));
        var last = new SourceStepAttempt(id, "crm", 1, $"{id}:discover:crm:1", Attempt: 3, IsLastAttempt: true);

        await Assert.ThrowsAsync<InvalidOperationException>(() => handler.RunAsync(last, CancellationToken.None));

        var request = (await store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(StepState.Pending, request.Progress.Source("crm")!.Discovery);
        Assert.Equal(1, crm.DiscoverCalls);
    }

    private static DataRightsFactory Factory(IWorkHandler handler, int? maxAttempts = null) =>
        new(settings: new Dictionary<string, string?>
        {
            ["DataRights:Workflow:MaxAttempts"] = (maxAttempts ?? new WorkflowOptions().MaxAttempts).ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            // The tests run the step's activity themselves: the request's orchestration must not take the item first.
            AnnounceOnlyWhenDrained = true,
            ConfigureServices = services => services.AddSingleton<IWorkHandler>(sp => handler is DecidingHandler deciding ? deciding.With(sp.GetRequiredService<WorkflowEngine>()) : handler),
        };

    /// <summary>A submitted request that owes one more piece of work of <paramref name="kind"/>, due at <paramref name="due"/> (now unless given).</summary>
    private static async Task<WorkStep> OwedItemAsync(DataRightsFactory factory, string kind, DateTimeOffset? due = null)
    {
        using var client = factory.CreateClient();
        var requestId = await SubmitAsync(client, factory.Services);
        var store = factory.Services.GetRequiredService<IRequestStore>();
        var request = (await store.GetAsync(requestId, CancellationToken.None))!;
        var owed = new OwedWork($"{requestId}:test:1", kind, "{}", due ?? factory.Clock.GetUtcNow());
        var owing = request with { Version = request.Version + 1, Progress = request.Progress with { Owed = [.. request.Progress.Owed, owed] } };
        Assert.True(await store.CommitAsync(owing, request.Version, [], CancellationToken.None));
        return new WorkStep(requestId, owed.Id);
    }

    /// <summary>A handler during whose run another instance (its own store) commits a change to the request.</summary>
    private sealed class OtherInstanceHandler : IWorkHandler
    {
        public const string TheKind = "test-other-instance";
        public const string Written = "written-by-the-other-instance";

        public IRequestStore? Other { get; set; }

        public string Kind => TheKind;

        public async Task HandleAsync(WorkAttempt item, bool isLastAttempt, CancellationToken cancellationToken)
        {
            var request = (await Other!.GetAsync(item.Item.RequestId, cancellationToken))!;
            var owing = request with
            {
                Version = request.Version + 1,
                Progress = request.Progress with { Owed = [.. request.Progress.Owed, new OwedWork(Written, FailingKind, "{}", request.UpdatedAt.AddYears(1))] },
            };
            Assert.True(await Other.CommitAsync(owing, request.Version, [], cancellationToken));
        }
    }

    /// <summary>A handler that always fails, its message quoting what it was given (as a connector's may).</summary>
    private sealed class FailingHandler : IWorkHandler
    {
        public const string Quoted = "jane.doe@example.com";
        private int _runs;

        public string Kind => FailingKind;

        public int Runs => Volatile.Read(ref _runs);

        public Task HandleAsync(WorkAttempt item, bool isLastAttempt, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            throw new InvalidOperationException($"duplicate key value violates unique constraint: ({Quoted})");
        }
    }

    /// <summary>A handler whose first run makes a decision that owes work (the person asks for the verification email again); later runs decide nothing.</summary>
    private sealed class DecidingHandler : IWorkHandler
    {
        private WorkflowEngine? _engine;
        private int _runs;

        public string Kind => DecidingKind;

        public int Runs => Volatile.Read(ref _runs);

        public IWorkHandler With(WorkflowEngine engine)
        {
            _engine = engine;
            return this;
        }

        public async Task HandleAsync(WorkAttempt item, bool isLastAttempt, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _runs) > 1)
            {
                return;
            }

            var decided = await _engine!.ApplyAsync(item.Item.RequestId, new VerificationResendRequested("person"), cancellationToken);
            Assert.True(decided!.Changed);
        }
    }
}
