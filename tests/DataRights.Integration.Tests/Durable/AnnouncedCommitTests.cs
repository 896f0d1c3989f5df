using System.Net;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.Durable;
using DataRights.Host.Workflow;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// A decision made outside a request's orchestration (staff, a person's link) tells the orchestration before it commits,
/// and the orchestration reads the work from the request once the commit has landed. So does intake, starting the
/// orchestration of a request once its submission is claimed and before it is written. A decision that cannot tell the
/// orchestration is not saved, and its caller is told to try again (503): nothing else would hand its work over.
/// </summary>
public sealed class AnnouncedCommitTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StaffVerification_IsAnnouncedAsVerified_AndItsSearchesRun()
    {
        var announcer = new DroppingAnnouncer();
        using var factory = NewFactory(announcer: announcer);
        var id = await SubmittedAsync(factory);
        var engine = factory.Services.GetRequiredService<WorkflowEngine>();

        var verified = await engine.ApplyAsync(id, new IdentityVerified("staff:test", IdentityVerified.ByStaff, null), CancellationToken.None);

        Assert.Equal(RequestStatus.Discovering, verified!.Request.Status);
        Assert.Equal(["verified"], announcer.Decided);
        await factory.TaskHub.WaitIdleAsync(Stall);

        // The orchestration took the event by that name (no clock moved, so nothing else would have run the searches).
        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(RequestStatus.AwaitingApproval, request.Status);
        Assert.All(request.Progress.Sources, s => Assert.Equal(StepState.Succeeded, s.Discovery));
        Assert.Contains(factory.Outbox, m => m.To == "approver@example.com");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ACommitLandingAfterItsOrchestrationStoppedWaiting_IsAnnouncedAgainByItsDecider_AndTheWorkRunsOnce(bool callerGone)
    {
        // The decision's process stalls between its announcement and its commit for longer than the orchestration waits;
        // and its caller (a browser, a proxy) may have given up on it by then: the commit stands, so the orchestration
        // must still be told, or the work would wait unseen behind the request's timers.
        var slow = new DroppingAnnouncer { CallerGoneWhenLanded = callerGone };
        using var factory = NewFactory(o => o.AnnouncedCommitWait = TimeSpan.FromSeconds(1), announcer: slow);
        var id = await SubmittedAsync(factory);
        slow.StallUntil = () => factory.TaskHub.WaitIdleAsync(Stall);

        await factory.Services.GetRequiredService<WorkflowEngine>().ApplyAsync(id, new IdentityVerified("staff:test", IdentityVerified.ByStaff, null), CancellationToken.None);
        await factory.TaskHub.WaitIdleAsync(Stall);

        // No clock moved: announced again once it landed, and read.
        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(RequestStatus.AwaitingApproval, request.Status);
        Assert.All(request.Progress.Sources, s => Assert.Equal(StepState.Succeeded, s.Discovery));
        Assert.Single(factory.Outbox, m => m.To == "approver@example.com");
        Assert.Contains(factory.Logs.Lines, l => l.Contains("did not land within 1 s", StringComparison.Ordinal));
        Assert.Contains(factory.Logs.Lines, l => l.Contains("later than its orchestration waits for it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACommitLandingAfterItsOrchestrationStoppedWaiting_WhoseSecondAnnouncementIsLost_IsFoundByALookAtTheRequest()
    {
        // As above, but telling the orchestration again fails too (the task hub struggling as well, or the process dying
        // once the commit landed): the orchestration, whose wait ended without the commit, looks at the request again.
        var slow = new DroppingAnnouncer { LoseLateAnnouncement = true };
        using var factory = NewFactory(o => o.AnnouncedCommitWait = TimeSpan.FromSeconds(1), announcer: slow);
        var id = await SubmittedAsync(factory);
        slow.StallUntil = () => factory.TaskHub.WaitIdleAsync(Stall);

        await factory.Services.GetRequiredService<WorkflowEngine>().ApplyAsync(id, new IdentityVerified("staff:test", IdentityVerified.ByStaff, null), CancellationToken.None);
        await factory.TaskHub.WaitIdleAsync(Stall);
        Assert.Equal(RequestStatus.Discovering, (await factory.Stored.SingleRequestAsync()).Status);

        // The look comes after the first retry's pause (5 s), on the program's clock; the verification reminder is days away.
        await factory.AdvanceAsync(TimeSpan.FromSeconds(6));

        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(RequestStatus.AwaitingApproval, request.Status);
        Assert.All(request.Progress.Sources, s => Assert.Equal(StepState.Succeeded, s.Discovery));
        Assert.Single(factory.Outbox, m => m.To == "approver@example.com");
    }

    [Fact]
    public async Task ADecisionAnnouncedToAnOrchestrationAsItEnds_IsMadeAgain_AndStartsANewOne_WhichRunsItsWorkOnce()
    {
        var ending = new DroppingAnnouncer();
        using var factory = NewFactory(announcer: ending);
        var id = await SubmittedAsync(factory);
        var store = factory.Services.GetRequiredService<IRequestStore>();
        var client = factory.Services.GetRequiredService<DurableTaskClient>();

        // Never confirmed: expired, every reminder past, and its orchestration's run ended.
        await factory.AdvanceAsync(TimeSpan.FromDays(60));
        var closed = await factory.Stored.SingleRequestAsync();
        Assert.Equal(RequestStatus.Expired, closed.Status);
        Assert.True(closed.RunEnded);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await client.GetInstanceAsync(RequestOrchestrator.InstanceId(id)))!.RuntimeStatus);

        // As just before its end: closed, nothing left, the run not yet marked ended.
        Assert.True(await store.CommitAsync(closed with { Version = closed.Version + 1, RunEnded = false }, closed.Version, [], CancellationToken.None));
        var mails = factory.Outbox.Count(m => m.To == "announced@example.net");

        // The person submits again: the decision tells the orchestration, which ends as the announcement reaches it (the
        // event is dropped), its end landing before the decision's commit.
        ending.EndingAsItArrives = requestId => store.EndRunAsync(requestId, CancellationToken.None);
        var repeated = await factory.Services.GetRequiredService<WorkflowEngine>().ApplyAsync(id, new RepeatSubmitted("requester"), CancellationToken.None);
        Assert.True(repeated!.Changed);
        await factory.DrainAsync();

        // The commit at the version the end moved on was refused; made again, the decision saw the run ended and started a
        // new orchestration, which sent the status link once and ended in turn.
        Assert.Equal([false, true], ending.RunEnded);
        Assert.Equal(mails + 1, factory.Outbox.Count(m => m.To == "announced@example.net"));
        var after = await factory.Stored.SingleRequestAsync();
        Assert.True(after.RunEnded);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await client.GetInstanceAsync(RequestOrchestrator.InstanceId(id)))!.RuntimeStatus);
        Assert.Empty((await store.GetWithOpenWorkAsync(id, CancellationToken.None))!.OpenWork);
    }

    [Fact]
    public async Task DecisionsNoOrchestrationCouldBeToldOf_AreNotSaved_AndTheCallerIsToldToTryAgain_ThenTheyGoThroughOnce()
    {
        // The task hub refuses every announcement: the new request's start, then the staff decision's event.
        var refusing = new DroppingAnnouncer { Refuse = true };
        using var factory = NewFactory(announcer: refusing);
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-DataRights-Dev-User", "Refused Staff");
        var submission = new { type = "access", email = "announced@example.net", fullName = "Announced Commit", jurisdiction = "UK" };

        // A public submission is answered once kept; its taking in, which stores the request only once its orchestration
        // can be started, is tried again after a pause until it can.
        using (var kept = await client.PostJsonAsync(submission))
        {
            Assert.Equal(HttpStatusCode.Accepted, kept.StatusCode);
        }

        await factory.DrainAsync();
        var inbox = factory.Services.GetRequiredService<ISubmissionInbox>();
        Assert.Single(await inbox.ListAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));
        Assert.Equal(0, await factory.Stored.RequestCountWithoutWaitingAsync());
        Assert.Empty(factory.Outbox);

        // Once the task hub answers, the next try stores it (not taken for a duplicate of the one never saved): one email.
        refusing.Refuse = false;
        await factory.AdvanceAsync(TimeSpan.FromMinutes(1));
        var id = (await factory.Stored.SingleRequestAsync()).Id;
        Assert.Empty(await inbox.ListAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));
        Assert.Single(factory.Outbox, m => m.To == "announced@example.net");
        var before = await factory.Stored.SingleRequestAsync();
        var audit = await factory.Stored.AuditCountAsync();

        refusing.Refuse = true;
        using (var refused = await WorkflowEndToEndTests.StaffPostAsync(client, $"/api/admin/requests/{id}/verify", new { note = "Checked by phone" }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        var unchanged = await factory.Stored.SingleRequestAsync();
        Assert.Equal(before.Version, unchanged.Version);
        Assert.Equal(RequestStatus.AwaitingVerification, unchanged.Status);
        Assert.Equal(audit, await factory.Stored.AuditCountAsync());

        refusing.Refuse = false;
        using (var verified = await WorkflowEndToEndTests.StaffPostAsync(client, $"/api/admin/requests/{id}/verify", new { note = "Checked by phone" }))
        {
            Assert.True(verified.IsSuccessStatusCode);
        }

        await factory.DrainAsync();
        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(RequestStatus.AwaitingApproval, request.Status);
        Assert.All(request.Progress.Sources, s => Assert.Equal(StepState.Succeeded, s.Discovery));
        Assert.Single(factory.Outbox, m => m.To == "approver@example.com");
        Assert.Single(factory.Outbox, m => m.To == "announced@example.net");
        Assert.Equal(2, refusing.Refused);
    }

    [Fact]
    public async Task Submission_StartsItsOrchestrationBeforeItIsWritten_AndTheVerificationEmailGoes()
    {
        using var factory = NewFactory();
        using var client = factory.CreateClient();

        using (var submitted = await client.PostJsonAsync(new { type = "access", email = "told.first@example.net", fullName = "Told First", jurisdiction = "UK" }))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }

        // The request's orchestration was started before the request was written, and reads its work from it.
        var request = await factory.Stored.SingleRequestAsync();
        var instance = await factory.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(RequestOrchestrator.InstanceId(request.Id));
        Assert.NotNull(instance);

        await factory.TaskHub.WaitIdleAsync(Stall);
        var mail = Assert.Single(factory.Outbox);
        Assert.Equal("told.first@example.net", mail.To);
        Assert.Equal(RequestStatus.AwaitingVerification, (await factory.Stored.SingleRequestAsync()).Status);
    }

    [Fact]
    public async Task AnnouncedCommitThatNeverLands_TakesNothing_AndTheOrchestrationCarriesOn()
    {
        using var factory = NewFactory(o => o.AnnouncedCommitWait = TimeSpan.FromSeconds(1));
        var id = await SubmittedAsync(factory);
        var before = await factory.Stored.SingleRequestAsync();
        var audit = await factory.Stored.AuditCountAsync();
        var mails = factory.Outbox.Count;

        // As if the deciding process died between announcing and committing.
        await factory.Services.GetRequiredService<ICommitAnnouncer>().AnnounceAsync(id, before.Version + 1, runEnded: false, RequestOrchestrator.WorkEvent, CancellationToken.None);
        await factory.TaskHub.WaitIdleAsync(Stall);

        var after = await factory.Stored.SingleRequestAsync();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(audit, await factory.Stored.AuditCountAsync());
        Assert.Equal(mails, factory.Outbox.Count);
        var instance = await factory.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(RequestOrchestrator.InstanceId(id));
        Assert.Equal(OrchestrationRuntimeStatus.Running, instance!.RuntimeStatus);

        // The request goes on as usual: the person's confirmation is announced in turn and its searches run.
        await factory.Services.GetRequiredService<WorkflowEngine>().ApplyAsync(id, new IdentityVerified("staff:test", IdentityVerified.ByStaff, null), CancellationToken.None);
        await factory.TaskHub.WaitIdleAsync(Stall);
        Assert.Equal(RequestStatus.AwaitingApproval, (await factory.Stored.SingleRequestAsync()).Status);
    }

    private static DataRightsFactory NewFactory(Action<DurableOptions>? durable = null, DroppingAnnouncer? announcer = null) => new()
    {
        ConfigureServices = services =>
        {
            if (durable is not null)
            {
                services.Configure(durable);
            }

            if (announcer is not null)
            {
                // The engine takes the last announcer registered.
                services.AddSingleton<ICommitAnnouncer>(provider => announcer.Wrapping(ActivatorUtilities.CreateInstance<DurableCommitAnnouncer>(provider)));
            }
        },
    };

    /// <summary>
    /// The host's announcer, which can stall after telling (<see cref="StallUntil"/>: the decision's process stalls before
    /// its commit), drop one announcement as the orchestration ending would, running <see cref="EndingAsItArrives"/> (the
    /// orchestration's end) first; with <see cref="Refuse"/> set, it tells nobody and fails as the host's announcer fails
    /// when the task hub refuses.
    /// </summary>
    private sealed class DroppingAnnouncer : ICommitAnnouncer
    {
        private ICommitAnnouncer? _inner;
        private int _refused;

        public bool Refuse { get; set; }

        /// <summary>
        /// Once set, the next announcement stalls after telling until this completes (the decision's process stalls before
        /// its commit): until the task hub is idle, the orchestration having read the announcement and given up on its
        /// commit, however slowly the machine runs.
        /// </summary>
        public Func<Task>? StallUntil { get; set; }

        public Func<string, Task>? EndingAsItArrives { get; set; }

        public int Refused => Volatile.Read(ref _refused);

        /// <summary>Whether each announcement made was of an ended run, in turn.</summary>
        public List<bool> RunEnded { get; } = [];

        /// <summary>The event each announcement was named by, in turn.</summary>
        public List<string> Decided { get; } = [];

        public ICommitAnnouncer Wrapping(ICommitAnnouncer inner)
        {
            _inner = inner;
            return this;
        }

        public async Task AnnounceAsync(string requestId, long version, bool runEnded, string decided, CancellationToken cancellationToken)
        {
            if (Refuse)
            {
                await CountRefusal();
            }

            RunEnded.Add(runEnded);
            Decided.Add(decided);
            if (!runEnded && EndingAsItArrives is { } ending)
            {
                EndingAsItArrives = null;
                await ending(requestId);
                return;
            }

            await _inner!.AnnounceAsync(requestId, version, runEnded, decided, cancellationToken);
            if (StallUntil is { } stall)
            {
                StallUntil = null;
                await stall();
            }
        }

        public Task AnnounceNewAsync(string requestId, long version, CancellationToken cancellationToken) =>
            Refuse ? CountRefusal() : _inner!.AnnounceNewAsync(requestId, version, cancellationToken);

        /// <summary>Whether the caller has gone away by the time its commit lands (a browser that gave up: its token cancelled).</summary>
        public bool CallerGoneWhenLanded { get; init; }

        /// <summary>Whether a commit that landed late is not announced again (telling the orchestration failed, and was logged).</summary>
        public bool LoseLateAnnouncement { get; init; }

        public Task LandedAsync(string requestId, long version, TimeSpan since, CancellationToken cancellationToken) =>
            LoseLateAnnouncement ? Task.CompletedTask : _inner!.LandedAsync(requestId, version, since, CallerGoneWhenLanded ? new CancellationToken(canceled: true) : cancellationToken);

        private Task CountRefusal()
        {
            Interlocked.Increment(ref _refused);
            return Task.FromException(new OrchestrationUnavailableException("The task hub refused (test)."));
        }
    }

    /// <summary>A submitted request whose verification email has gone.</summary>
    private static async Task<string> SubmittedAsync(DataRightsFactory factory)
    {
        using var client = factory.CreateClient();
        using (var submitted = await client.PostJsonAsync(new { type = "access", email = "announced@example.net", fullName = "Announced Commit", jurisdiction = "UK" }))
        {
            Assert.True(submitted.IsSuccessStatusCode);
        }

        await factory.DrainAsync();
        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(RequestStatus.AwaitingVerification, request.Status);
        return request.Id;
    }
}
