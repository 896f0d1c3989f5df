using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;
using DataRights.Host.Workflow;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Integration.Tests.Workflow;

/// <summary>
/// Events for one request arriving while another is being committed (a discovery's sources answering together) are
/// decided in turn and committed together, each caller getting its own answer, on Table storage. The tests apply the
/// events themselves, so nothing else may run the request's work meanwhile: announcements to the orchestrations are
/// made only in a drain, which never comes, so no orchestration starts for the request.
/// </summary>
public sealed class WorkflowEngineGroupCommitTests
{
    [Fact]
    public async Task SourcesAnsweringTogether_AreCommittedInOneTransaction_WithAValidAuditChain()
    {
        using var factory = new DataRightsFactory { AnnounceOnlyWhenDrained = true };
        var (engine, gated, request, sources) = await DiscoveringAsync(factory);

        var answers = StartAnswers(engine, request, sources);
        gated.ReleaseFirstRead();
        var decisions = await Task.WhenAll(answers);

        Assert.All(decisions, d => Assert.True(d!.Changed));
        // The first answer went alone (the others queued behind its read); the rest were committed together.
        Assert.Equal(2, gated.Commits);
        var stored = Assert.IsType<DataSubjectRequest>(await factory.Services.GetRequiredService<IRequestStore>().GetAsync(request.Id, CancellationToken.None));
        Assert.Equal(request.Version + 2, stored.Version);
        Assert.Equal(RequestStatus.AwaitingApproval, stored.Status);
        Assert.All(sources, s => Assert.Equal(StepState.Succeeded, stored.Progress.Source(s)!.Discovery));
        // Each caller sees the request as its own event left it, under the version its commit wrote.
        Assert.Equal(request.Version + 1, decisions[0]!.Request.Version);
        Assert.All(decisions[1..], d => Assert.Equal(stored.Version, d!.Request.Version));
        Assert.Equal(RequestStatus.AwaitingApproval, decisions[^1]!.Request.Status);
        Assert.Equal(RequestStatus.Discovering, decisions[^2]!.Request.Status);

        var trail = await factory.Services.GetRequiredService<IRequestStore>().GetAuditTrailAsync(request.Id, CancellationToken.None);
        Assert.True(AuditChain.Verify(trail, stored.AuditHead).IsValid);
        Assert.Equal(sources.Count, trail.Count(e => e.Action == "source.discovered"));
    }

    [Fact]
    public async Task AStaleEventAmongOthers_IsIgnoredAlone_AndTheOthersAreCommitted()
    {
        using var factory = new DataRightsFactory { AnnounceOnlyWhenDrained = true };
        var (engine, gated, request, sources) = await DiscoveringAsync(factory);

        var answers = StartAnswers(engine, request, sources[..^1]);
        var stale = engine.ApplyAsync(request.Id, new SourceDiscovered("worker", sources[^1], request.Progress.DiscoveryRound + 5, new DiscoveryFindings(1, ["contact"], false)), CancellationToken.None);
        gated.ReleaseFirstRead();

        Assert.All(await Task.WhenAll(answers), d => Assert.True(d!.Changed));
        Assert.NotNull((await stale)!.Ignored);
        var stored = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(RequestStatus.Discovering, stored.Status);
        Assert.Equal(StepState.Pending, stored.Progress.Source(sources[^1])!.Discovery);
    }

    [Fact]
    public async Task EventsWhoseJointCommitFails_AreAppliedOneByOne_AndNoneIsLost()
    {
        using var factory = new DataRightsFactory { AnnounceOnlyWhenDrained = true };
        var (engine, gated, request, sources) = await DiscoveringAsync(factory);
        gated.FailCommitOverEntries = 1;

        var answers = StartAnswers(engine, request, sources);
        gated.ReleaseFirstRead();
        var decisions = await Task.WhenAll(answers);

        Assert.All(decisions, d => Assert.True(d!.Changed));
        // One alone, the joint commit refused, then the others one by one.
        Assert.Equal(2 + (sources.Count - 1), gated.Commits);
        var stored = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(RequestStatus.AwaitingApproval, stored.Status);
        Assert.Equal(request.Version + sources.Count, stored.Version);
        var trail = await factory.Services.GetRequiredService<IRequestStore>().GetAuditTrailAsync(request.Id, CancellationToken.None);
        Assert.True(AuditChain.Verify(trail, stored.AuditHead).IsValid);
    }

    [Fact]
    public async Task AJointCommitThatLandsButAnswersWithAnError_Stands_AndTheStepHandsBackTheWorkItWrote()
    {
        // The sources answer from a step of the request's orchestration; their joint commit lands (the last answer moves the
        // request on to approval) but its answer is an error. Made again one by one, the answers would change nothing, and
        // the step would hand back nothing: the approval request would wait unseen behind the request's deadline timers.
        using var factory = new DataRightsFactory { AnnounceOnlyWhenDrained = true };
        var (engine, gated, request, sources) = await DiscoveringAsync(factory);
        gated.FailAfterCommitOverEntries = 1;
        List<Task<Decision?>> answers;
        var step = OrchestrationStep.For(request.Id);
        using (step)
        {
            answers = StartAnswers(engine, request, sources);
        }

        gated.ReleaseFirstRead();
        var decisions = await Task.WhenAll(answers);

        Assert.All(decisions, d => Assert.True(d!.Changed));
        Assert.Equal(2, gated.Commits);
        var stored = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(request.Id, CancellationToken.None))!;
        Assert.Equal((RequestStatus.AwaitingApproval, request.Version + 2), (stored.Status, stored.Version));
        Assert.Contains(factory.Logs.Lines, l => l.Contains($"the commit of version {request.Version + 2} failed (TimeoutException) but had landed", StringComparison.Ordinal));

        var item = new WorkAttempt(new WorkItem($"{request.Id}:message:manual-task:{sources[0]}-1", request.Id, WorkItem.Message, "{}", request.UpdatedAt), 1);
        var handedBack = await factory.Services.GetRequiredService<Host.Durable.RequestStanding>().AfterStepAsync(step, item, CancellationToken.None);
        Assert.Contains(handedBack.Open!, w => w.Id.Contains(":message:approval-request:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACallerGivingUpWhileItsEventWaits_GetsCancelled_AndItsEventIsNotApplied()
    {
        using var factory = new DataRightsFactory { AnnounceOnlyWhenDrained = true };
        var (engine, gated, request, sources) = await DiscoveringAsync(factory);

        var first = StartAnswers(engine, request, sources[..1]).Single();
        using var givingUp = new CancellationTokenSource();
        var second = engine.ApplyAsync(request.Id, new SourceDiscovered("worker", sources[1], request.Progress.DiscoveryRound, new DiscoveryFindings(1, ["contact"], false)), givingUp.Token);
        await givingUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        gated.ReleaseFirstRead();

        Assert.True((await first)!.Changed);
        // A later event goes alone: the given-up one is not carried into its commit.
        Assert.True((await StartAnswers(engine, request, sources[2..3]).Single())!.Changed);
        Assert.Equal(2, gated.Commits);
        var stored = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(StepState.Succeeded, stored.Progress.Source(sources[0])!.Discovery);
        Assert.Equal(StepState.Pending, stored.Progress.Source(sources[1])!.Discovery);
        Assert.Equal(StepState.Succeeded, stored.Progress.Source(sources[2])!.Discovery);
    }

    [Fact]
    public async Task WorkDecidedInAStepOfTheRequestsOrchestration_IsHandedBackToIt_AndWorkDecidedElsewhereIsAnnouncedBeforeItsCommit()
    {
        using var factory = new DataRightsFactory { AnnounceOnlyWhenDrained = true };
        var (engine, gated, request, sources) = await DiscoveringAsync(factory);
        gated.ReleaseFirstRead();
        var store = factory.Services.GetRequiredService<IRequestStore>();
        var announcer = (DeferredAnnouncer)factory.Services.GetRequiredService<ICommitAnnouncer>();

        // Every source answers from a step of this request's orchestration: the approval request it leads to is the step's,
        // and nothing is announced for it.
        using (OrchestrationStep.For(request.Id))
        {
            await Task.WhenAll(StartAnswers(engine, request, sources));
        }

        var afterAnswers = (await store.GetWithOpenWorkAsync(request.Id, CancellationToken.None))!;
        var approval = Assert.Single(afterAnswers.OpenWork, w => w.Id.Contains(":message:approval-request:", StringComparison.Ordinal));
        Assert.DoesNotContain(announcer.Held, a => a.RequestId == request.Id && a.Version > request.Version);

        // Staff asking for information is not a step: its commit (the question to the person) is announced to the
        // orchestration before it is made, with the version it gives the request.
        Assert.True((await engine.ApplyAsync(request.Id, new InformationRequested("staff:test", "Which account?"), CancellationToken.None))!.Changed);
        var asked = (await store.GetWithOpenWorkAsync(request.Id, CancellationToken.None))!;
        Assert.Contains(asked.OpenWork, w => w.Id.Contains(":message:information-request:", StringComparison.Ordinal));
        Assert.Equal(asked.Request.Version, Assert.Single(announcer.Held, a => a.RequestId == request.Id && a.Version > request.Version).Version);
        Assert.Contains(asked.OpenWork, w => w.Id == approval.Id);
    }

    [Fact]
    public async Task ARestartCommittedTogetherWithAStepsAnswer_IsStillAnnounced_SoANewOrchestrationIsStarted()
    {
        // The hourly check restarts a stopped workflow while an activity its dead orchestration left running answers: the
        // two events are committed together, and the step's hand-back reaches nobody, so the restart must be announced.
        using var factory = new DataRightsFactory { AnnounceOnlyWhenDrained = true };
        var (engine, gated, request, sources) = await DiscoveringAsync(factory);
        var announcer = (DeferredAnnouncer)factory.Services.GetRequiredService<ICommitAnnouncer>();
        List<Task<Decision?>> answers;
        using (OrchestrationStep.For(request.Id))
        {
            answers = StartAnswers(engine, request, sources.Take(2));
        }

        var restart = engine.ApplyAsync(request.Id, new WorkflowRestarted(Host.Durable.WorkflowCheckJob.Actor, "failed"), CancellationToken.None);
        gated.ReleaseFirstRead();
        await Task.WhenAll(answers);
        var restarted = await restart;

        Assert.True(restarted!.Changed);
        // The first answer alone, then the second with the restart.
        Assert.Equal(2, gated.Commits);
        Assert.Equal(request.Version + 2, restarted.Request.Version);
        Assert.Contains(announcer.Held, a => a.RequestId == request.Id && a.Version == restarted.Request.Version);
    }

    /// <summary>A request whose identity is confirmed, waiting for every active source's answer, and an engine over a gated store.</summary>
    private static async Task<(WorkflowEngine Engine, GatedRequestStore Gated, DataSubjectRequest Request, List<string> Sources)> DiscoveringAsync(DataRightsFactory factory)
    {
        using var client = factory.CreateClient();
        using (var submitted = await client.PostJsonAsync(new { type = "access", email = "group.commit@example.net", fullName = "Group Commit", jurisdiction = "UK" }))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }

        var program = factory.Services.GetRequiredService<WorkflowEngine>();
        var id = (await factory.Stored.SingleRequestAsync()).Id;
        Assert.True((await program.ApplyAsync(id, new IdentityVerified("staff:test", "staff", null), CancellationToken.None))!.Changed);
        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(RequestStatus.Discovering, request.Status);
        var sources = factory.Services.GetRequiredService<IDataSourceRegistry>().ActiveSources().Select(s => s.Key).ToList();
        Assert.True(sources.Count >= 3);

        var gated = new GatedRequestStore(factory.Services.GetRequiredService<IRequestStore>());
        return (ActivatorUtilities.CreateInstance<WorkflowEngine>(factory.Services, gated), gated, request, sources);
    }

    /// <summary>Each source's answer, applied at once (each call queues its event before it first waits).</summary>
    private static List<Task<Decision?>> StartAnswers(WorkflowEngine engine, DataSubjectRequest request, IEnumerable<string> sources) =>
        [.. sources.Select(s => engine.ApplyAsync(request.Id, new SourceDiscovered("worker", s, request.Progress.DiscoveryRound, new DiscoveryFindings(1, ["contact"], false)), CancellationToken.None))];
}
