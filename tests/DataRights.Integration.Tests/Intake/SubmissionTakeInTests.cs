using System.Net;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Host.Durable;
using DataRights.Host.Requests;
using DataRights.Host.Workflow;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using DataRights.Testing.Azurite;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataRights.Integration.Tests.Intake;

/// <summary>
/// A public submission is answered once it is kept, and taken in after (the repeat check, the address's limit, the
/// request's write), so the answer cannot depend on what becomes of it; taking it in again changes nothing; one never
/// handed to its taking in is taken in by the hourly workflow check, its clock counted from its arrival.
/// </summary>
public sealed class SubmissionTakeInTests
{
    [Fact]
    public async Task ANewRequestAndARepeat_AreAnsweredBeforeEitherIsTakenIn_AndThenMakeOneRequest()
    {
        var held = new HeldInbox();
        using var factory = new DataRightsFactory { ConfigureServices = s => held.Wrap(s) };
        using var client = factory.CreateClient();

        // Nothing can be taken in while the inbox's reads are held: both answers come first.
        using var first = await client.PostJsonAsync(Submissions.Valid("held@example.com"));
        using var second = await client.PostJsonAsync(Submissions.Valid("held@example.com"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        // Both are read from the queue and kept; neither can be taken in yet.
        var inbox = factory.Services.GetRequiredService<ISubmissionInbox>();
        await SubmissionInboxWaits.QueueReadAsync(factory.Services.GetRequiredService<SubmissionQueue>().CountAsync);
        Assert.Equal(2, (await inbox.ListAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None)).Count);
        Assert.Equal(0, await factory.Stored.RequestCountWithoutWaitingAsync());

        held.Release();
        await factory.Services.TakenInAsync();

        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(RequestStatus.AwaitingVerification, request.Status);
        Assert.Empty(await inbox.ListAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));
    }

    [Fact]
    public async Task DifferentRequestsForOneAddress_TakenInAtOnce_StoreOne_TheOthersAreItsRepeats()
    {
        var held = new HeldInbox();
        using var factory = new DataRightsFactory { ConfigureServices = s => held.Wrap(s) };
        using var client = factory.CreateClient();
        foreach (var type in new[] { "erasure", "access", "portability", "objection" })
        {
            using var answer = await client.PostJsonAsync(Submissions.Valid("one.address@example.com", type));
            Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        }

        // All four are taken in at once once the inbox answers: the first to be stored waits for confirmation, and the
        // others find it waiting.
        held.Release();
        await factory.DrainAsync();

        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(RequestStatus.AwaitingVerification, request.Status);
        Assert.Single(factory.Outbox, m => m.To == "one.address@example.com");
    }

    [Fact]
    public async Task DifferentRequestsForOneAddress_TakenInByTwoInstancesAtOnce_StoreOne_TheOtherIsItsRepeat()
    {
        // Two instances of the program on one store. The first takes in an erasure and is paused once it has claimed its
        // request, before writing it (starting its orchestration); the second, taking in an access request for the same
        // address meanwhile, waits for the address's hold, then finds the first's request waiting: one request, one repeat.
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var first = new DataRightsFactory
        {
            ConfigureServices = s => s.AddSingleton<ICommitAnnouncer>(provider =>
                new PausingAnnouncer(ActivatorUtilities.CreateInstance<DurableCommitAnnouncer>(provider), paused, resume.Task)),
        };
        using var second = new DataRightsFactory();
        foreach (var (key, value) in SharedAzurite.StorageSettings(await SharedAzurite.GetAsync(), first.DataDirectory))
        {
            second.Settings[key] = value;
        }

        var inbox = first.Services.GetRequiredService<ISubmissionInbox>();
        var at = first.Clock.GetUtcNow();
        var erasure = Kept("two.instances@example.com", at) with { Submission = new IntakeSubmission("erasure", "two.instances@example.com", "Kept Person", "UK", null, null) };
        var access = Kept("two.instances@example.com", at);
        await inbox.AddAsync(erasure, CancellationToken.None);
        await inbox.AddAsync(access, CancellationToken.None);

        var takingFirst = TakeInAsync(first, erasure.Id);
        await paused.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var takingSecond = TakeInAsync(second, access.Id);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(takingSecond.IsCompleted, "the second instance took its submission in while the first held the address");
        resume.SetResult();

        Assert.Equal("a new request", await takingFirst.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal("a repeat of a request held", await takingSecond.WaitAsync(TimeSpan.FromSeconds(60)));
        var request = await first.Stored.SingleRequestAsync();
        Assert.Equal(RequestType.Erasure, request.Type);
        Assert.Empty(await inbox.ListAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));
    }

    [Fact]
    public async Task TakingInAgain_FindsTheSubmissionGone_AndChangesNothing()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var inbox = factory.Services.GetRequiredService<ISubmissionInbox>();
        var kept = Kept("again@example.com", factory.Clock.GetUtcNow());
        await inbox.AddAsync(kept, CancellationToken.None);

        var first = await TakeInAsync(factory, kept.Id);
        var again = await TakeInAsync(factory, kept.Id);
        await factory.DrainAsync();

        Assert.Equal("a new request", first);
        Assert.Equal("already taken in", again);
        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(kept.ReceivedAt, request.ReceivedAt);
        Assert.Single(factory.Outbox, m => m.To == "again@example.com");
    }

    [Fact]
    public async Task ATakingInStoppedAfterStoringTheRequest_IsTriedAgain_AndNeitherStoresNorEmailsTwice()
    {
        var inbox = new HeldInbox(released: true) { FailRemovals = 1 };
        using var factory = new DataRightsFactory { ConfigureServices = s => inbox.Wrap(s) };
        using var client = factory.CreateClient();

        using var answer = await client.PostJsonAsync(Submissions.Valid("stopped@example.com"));
        await factory.DrainAsync();

        // The request is stored and its email sent; the submission, not removed, is still kept.
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal(1, await factory.Stored.RequestCountWithoutWaitingAsync());
        Assert.Single(await factory.Services.GetRequiredService<ISubmissionInbox>().ListAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));

        // Tried again after its pause: a repeat of the request the first try stored, moments after its link was emailed.
        await factory.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Single(await factory.Stored.RequestsAsync());
        Assert.Single(factory.Outbox, m => m.To == "stopped@example.com");
        Assert.Empty(await factory.Services.GetRequiredService<ISubmissionInbox>().ListAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));
    }

    [Fact]
    public async Task ATakingInThatFailsOnEveryTry_LeavesTheSubmissionKept_AndTheWorkflowCheckTakesItIn()
    {
        var inbox = new HeldInbox(released: true) { FailReads = 1_000 };
        using var factory = new DataRightsFactory { ConfigureServices = s => inbox.Wrap(s) };
        using var client = factory.CreateClient();
        using var answer = await client.PostJsonAsync(Submissions.Valid("outage@example.com"));
        await factory.DrainAsync();

        // Every try, its pauses doubling from 5 s, fails: the orchestration ends, leaving the submission kept.
        var tries = 0;
        for (; tries < 10 && await InstanceAsync(factory) is not { RuntimeStatus: OrchestrationRuntimeStatus.Completed }; tries++)
        {
            await factory.AdvanceAsync(TimeSpan.FromMinutes(1));
        }

        var ended = await InstanceAsync(factory);
        Assert.Equal(SubmissionOrchestrator.LeftForTheCheck, ended?.ReadOutputAs<string>());
        Assert.Equal(1_000 - 6, inbox.FailReads);
        var kept = Assert.Single(await factory.Services.GetRequiredService<ISubmissionInbox>().ListAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));
        Assert.Equal(0, await factory.Stored.RequestCountWithoutWaitingAsync());

        // The store back, the hourly check takes it in (10 minutes after it arrived), its clock from its arrival.
        inbox.FailReads = 0;
        await factory.AdvanceAsync(SubmissionTakeIns.LeftOverAfter);
        await factory.Services.GetRequiredService<WorkflowCheckJob>().CheckAsync(CancellationToken.None);
        await factory.DrainAsync();

        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(kept.ReceivedAt, request.ReceivedAt);
        Assert.Single(factory.Outbox, m => m.To == "outage@example.com");
    }

    private static async Task<OrchestrationMetadata?> InstanceAsync(DataRightsFactory factory)
    {
        var client = factory.Services.GetRequiredService<DurableTaskClient>();
        var query = new OrchestrationQuery { InstanceIdPrefix = "submission-", FetchInputsAndOutputs = true };
        await foreach (var instance in client.GetAllInstancesAsync(query))
        {
            return instance;
        }

        return null;
    }

    [Fact]
    public async Task ASubmissionNeverHandedToItsTakingIn_IsTakenInByTheWorkflowCheckAfterTenMinutes_ItsClockFromItsArrival()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var inbox = factory.Services.GetRequiredService<ISubmissionInbox>();
        var store = factory.Services.GetRequiredService<IRequestStore>();
        var now = factory.Clock.GetUtcNow();

        // Kept, and the process stopped before starting their taking in: one 11 minutes ago, one a minute ago.
        var old = Kept("left.over@example.com", now - TimeSpan.FromMinutes(11), "dr_00000000000000000000000a");
        var recent = Kept("just.now@example.com", now - TimeSpan.FromMinutes(1), "dr_00000000000000000000000b");
        await inbox.AddAsync(old, CancellationToken.None);
        await inbox.AddAsync(recent, CancellationToken.None);

        await factory.Services.GetRequiredService<WorkflowCheckJob>().CheckAsync(CancellationToken.None);
        await factory.DrainAsync();

        var taken = await store.FindAwaitingVerificationAsync("left.over@example.com", CancellationToken.None);
        Assert.NotNull(taken);
        Assert.Equal(old.ReceivedAt, taken.ReceivedAt);
        Assert.Equal(["dr_00000000000000000000000b"], (await inbox.ListAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None)).Select(s => s.Id));
        Assert.Null(await store.FindAwaitingVerificationAsync("just.now@example.com", CancellationToken.None));
        Assert.Single(factory.Outbox, m => m.To == "left.over@example.com");
        Assert.Contains(factory.Logs.Lines, l => l.Contains("[3440] Submission dr_00000000000000000000000a was still not taken in after 11 min", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATakingInThatKeptStoppingTheProgram_IsLeftToTheWorkflowCheckAtOnce_NotTriedAgain()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var queued = Kept("stops.the.program@example.com", factory.Clock.GetUtcNow());

        // Three runs of the program were handed its taking in and stopped before finishing it: the task hub fails it (the
        // step is its orchestration, activity and input, as the backend holds it: an array of the arguments).
        var step = StepCrashGuardService.StepOf(SubmissionOrchestrator.InstanceId(queued.Id), TakeInActivity.Name, System.Text.Json.JsonSerializer.Serialize(new[] { queued.Id }));
        for (var run = 1; run <= 3; run++)
        {
            new StepNotes(NotesFolder(factory), stopsAllowed: 3, NullLogger.Instance).Take(step);
        }

        await factory.Services.GetRequiredService<SubmissionTakeIns>().HandOverAsync(queued, CancellationToken.None);
        await factory.DrainAsync();

        // Ended without waiting to try again (the clock has not moved), the submission kept for the check.
        var ended = await InstanceAsync(factory);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, ended?.RuntimeStatus);
        Assert.Equal(SubmissionOrchestrator.KeptStoppingTheProgram, ended?.ReadOutputAs<string>());
        var inbox = factory.Services.GetRequiredService<ISubmissionInbox>();
        Assert.Equal([queued.Id], (await inbox.ListAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None)).Select(s => s.Id));
        Assert.Equal(0, await factory.Stored.RequestCountWithoutWaitingAsync());

        // The check sets it aside at once, without running it again in its own process, and tells staff.
        await factory.AdvanceAsync(TimeSpan.FromMinutes(11));
        await factory.Services.GetRequiredService<WorkflowCheckJob>().CheckAsync(CancellationToken.None);
        var setAside = Assert.Single(await inbox.ListSetAsideAsync(10, CancellationToken.None));
        Assert.Equal(3, setAside.SetAside?.Stops);
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains($"[3440] Submission {queued.Id}", StringComparison.Ordinal));
        Assert.Single(factory.Outbox, m => m.Subject.Contains("could not be taken in", StringComparison.Ordinal));

        // Asked to try again, the next check starts a new run of its taking in on the task hub, which takes it in.
        Assert.True(await inbox.MarkAsync(queued.Id, setAside.SetAside! with { TryAgain = true }, CancellationToken.None));
        await factory.Services.GetRequiredService<WorkflowCheckJob>().CheckAsync(CancellationToken.None);
        await factory.DrainAsync();
        Assert.Equal("a new request", (await InstanceAsync(factory))?.ReadOutputAs<string>());
        Assert.NotNull(await factory.Services.GetRequiredService<IRequestStore>().FindAwaitingVerificationAsync("stops.the.program@example.com", CancellationToken.None));
        Assert.Null(await inbox.GetAsync(queued.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ASubmissionWhoseTakingInKeptStoppingTheProgramAtTheCheck_IsSetAside_AndTheOthersAreTakenIn()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var inbox = factory.Services.GetRequiredService<ISubmissionInbox>();
        var store = factory.Services.GetRequiredService<IRequestStore>();
        var now = factory.Clock.GetUtcNow();
        var poison = Kept("set.aside@example.com", now - TimeSpan.FromMinutes(11), "dr_00000000000000000000000c");
        var fine = Kept("taken.in@example.com", now - TimeSpan.FromMinutes(11), "dr_00000000000000000000000d");
        await inbox.AddAsync(poison, CancellationToken.None);
        await inbox.AddAsync(fine, CancellationToken.None);

        // Three runs of the program took the first in at the hourly check and stopped before finishing it.
        for (var run = 1; run <= 3; run++)
        {
            new StepNotes(NotesFolder(factory), stopsAllowed: 3, NullLogger.Instance).Take(SubmissionTakeIns.StepOf(poison.Id));
        }

        for (var check = 1; check <= 2; check++)
        {
            await factory.Services.GetRequiredService<WorkflowCheckJob>().CheckAsync(CancellationToken.None);
            await factory.DrainAsync();
        }

        // It is set aside at each check, kept and logged; the other is taken in.
        Assert.NotNull(await store.FindAwaitingVerificationAsync("taken.in@example.com", CancellationToken.None));
        Assert.Null(await store.FindAwaitingVerificationAsync("set.aside@example.com", CancellationToken.None));
        Assert.Equal([poison.Id], (await inbox.ListAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None)).Select(s => s.Id));
        Assert.Equal(2, factory.Logs.Lines.Count(l => l.Contains("[3454] Submission dr_00000000000000000000000c is set aside", StringComparison.Ordinal)));
        Assert.DoesNotContain(factory.Outbox, m => m.To == "set.aside@example.com");

        // Marked so in the store, where every instance and the console see it.
        var setAside = Assert.Single(await inbox.ListSetAsideAsync(10, CancellationToken.None));
        Assert.Equal(poison.Id, setAside.Id);
        Assert.Equal(new SubmissionSetAside(now, 3, TryAgain: false), setAside.SetAside);

        // Staff are emailed once that day (two checks), with where to see it and nothing the person sent.
        var alert = Assert.Single(factory.Outbox, m => m.Subject.Contains("could not be taken in", StringComparison.Ordinal));
        Assert.Equal("privacy-team@example.com", alert.To);
        Assert.Contains("(access, United Kingdom)", alert.Text, StringComparison.Ordinal);
        Assert.Contains("stopped DataRights 3 times", alert.Text, StringComparison.Ordinal);
        Assert.Contains("/staff/set-aside", alert.PathOfLink("/staff/set-aside"), StringComparison.Ordinal);
        Assert.DoesNotContain("set.aside@example.com", alert.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Kept Person", alert.Text, StringComparison.Ordinal);

        // The next day's check emails them again, while it stays set aside.
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await factory.Services.GetRequiredService<WorkflowCheckJob>().CheckAsync(CancellationToken.None);
        Assert.Equal(2, factory.Outbox.Count(m => m.Subject.Contains("could not be taken in", StringComparison.Ordinal)));
        Assert.Null(await store.FindAwaitingVerificationAsync("set.aside@example.com", CancellationToken.None));
    }

    [Fact]
    public async Task ASubmissionWhoseTakingInFailsForADay_IsSetAside_StaffAreEmailed_AndATryAgainTakesItIn()
    {
        var inbox = new HeldInbox(released: true) { FailReads = 1_000 };
        using var factory = new DataRightsFactory { ConfigureServices = s => inbox.Wrap(s) };
        using var client = factory.CreateClient();
        var kept = factory.Services.GetRequiredService<ISubmissionInbox>();
        var check = factory.Services.GetRequiredService<WorkflowCheckJob>();
        var store = factory.Services.GetRequiredService<IRequestStore>();
        var arrived = factory.Clock.GetUtcNow() - TimeSpan.FromMinutes(11);
        var failing = Kept("failing.day@example.com", arrived);
        await kept.AddAsync(failing, CancellationToken.None);
        bool Alerted(OutboxMessage m) => m.Subject.Contains("could not be taken in", StringComparison.Ordinal);

        // Failing within its first day: logged and left for the next check, nobody emailed.
        await check.CheckAsync(CancellationToken.None);
        Assert.Contains(factory.Logs.Lines, l => l.Contains($"[3441] Submission {failing.Id} could not be taken in (IOException)", StringComparison.Ordinal));
        Assert.Empty(await kept.ListSetAsideAsync(10, CancellationToken.None));
        Assert.DoesNotContain(factory.Outbox, Alerted);

        // Still failing a day after it arrived: set aside, and staff are told.
        factory.Clock.Advance(TimeSpan.FromDays(1));
        var now = factory.Clock.GetUtcNow();
        inbox.FailReads = 1_000;
        await check.CheckAsync(CancellationToken.None);
        await check.CheckAsync(CancellationToken.None);

        var setAside = Assert.Single(await kept.ListSetAsideAsync(10, CancellationToken.None));
        Assert.Equal(new SubmissionSetAside(now, 0, TryAgain: false, "IOException"), setAside.SetAside);
        Assert.Equal(2, factory.Logs.Lines.Count(l => l.Contains($"[3457] Submission {failing.Id} is set aside", StringComparison.Ordinal)));
        var alert = Assert.Single(factory.Outbox, Alerted);
        Assert.Contains("Taking it in failed at every try for a day after it arrived, so it was set aside", alert.Text, StringComparison.Ordinal);
        Assert.Contains("event 3457 names submission " + failing.Id, alert.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("failing.day@example.com", alert.Text, StringComparison.Ordinal);

        // The fault fixed, staff ask for it to be tried again: the next check takes it in, its clock from its arrival.
        inbox.FailReads = 0;
        Assert.True(await kept.MarkAsync(failing.Id, setAside.SetAside! with { TryAgain = true }, CancellationToken.None));
        await check.CheckAsync(CancellationToken.None);
        await factory.DrainAsync();

        var request = await store.FindAwaitingVerificationAsync("failing.day@example.com", CancellationToken.None);
        Assert.NotNull(request);
        Assert.Equal(arrived, request.ReceivedAt);
        Assert.Null(await kept.GetAsync(failing.Id, CancellationToken.None));
        Assert.Single(factory.Outbox, m => m.To == "failing.day@example.com");
    }

    [Fact]
    public async Task ASubmissionSetAside_StaffAskedToTryAgain_IsTakenInAtTheNextCheck_ItsStopsCountedAfresh()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var inbox = factory.Services.GetRequiredService<ISubmissionInbox>();
        var now = factory.Clock.GetUtcNow();
        var kept = Kept("tried.again@example.com", now - TimeSpan.FromMinutes(11));
        await inbox.AddAsync(kept, CancellationToken.None);
        var notesFolder = NotesFolder(factory);
        for (var run = 1; run <= 3; run++)
        {
            new StepNotes(notesFolder, stopsAllowed: 3, NullLogger.Instance).Take(SubmissionTakeIns.StepOf(kept.Id));
        }

        await factory.Services.GetRequiredService<WorkflowCheckJob>().CheckAsync(CancellationToken.None);
        Assert.NotNull((await inbox.GetAsync(kept.Id, CancellationToken.None))?.SetAside);

        // Staff ask for it to be tried again (the console does this); the next check takes it in, though its note had 3 stops.
        Assert.True(await inbox.MarkAsync(kept.Id, new SubmissionSetAside(now, 3, TryAgain: true), CancellationToken.None));
        await factory.Services.GetRequiredService<WorkflowCheckJob>().CheckAsync(CancellationToken.None);
        await factory.DrainAsync();

        Assert.NotNull(await factory.Services.GetRequiredService<IRequestStore>().FindAwaitingVerificationAsync("tried.again@example.com", CancellationToken.None));
        Assert.Null(await inbox.GetAsync(kept.Id, CancellationToken.None));
        Assert.Empty(await inbox.ListSetAsideAsync(10, CancellationToken.None));
        Assert.Single(factory.Logs.Lines, l => l.Contains($"[3455] Submission {kept.Id}, set aside, is tried again", StringComparison.Ordinal));
        Assert.Single(factory.Outbox, m => m.To == "tried.again@example.com");
        Assert.Empty(Directory.EnumerateFiles(notesFolder, "*.step"));

        // A submission no longer kept cannot be marked.
        Assert.False(await inbox.MarkAsync(kept.Id, new SubmissionSetAside(now, 3, TryAgain: false), CancellationToken.None));
        Assert.Null(await inbox.GetAsync(kept.Id, CancellationToken.None));
    }

    /// <summary>The folder of the host's notes of the steps in progress, where earlier runs of the program wrote theirs.</summary>
    private static string NotesFolder(DataRightsFactory factory) => factory.Services.GetRequiredService<StepNotes>().Folder;

    [Fact]
    public async Task AQueuedSubmissionReadTwice_IsKeptAndTakenInOnce()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var takeIns = factory.Services.GetRequiredService<SubmissionTakeIns>();
        var queued = Kept("read.twice@example.com", factory.Clock.GetUtcNow());

        Assert.Equal("handed over", await takeIns.HandOverAsync(queued, CancellationToken.None));
        Assert.Equal("already handed over", await takeIns.HandOverAsync(queued, CancellationToken.None));
        await factory.DrainAsync();
        Assert.Equal("already handed over", await takeIns.HandOverAsync(queued, CancellationToken.None));
        await factory.DrainAsync();

        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal(queued.ReceivedAt, request.ReceivedAt);
        Assert.Single(factory.Outbox, m => m.To == "read.twice@example.com");
        Assert.Empty(await factory.Services.GetRequiredService<ISubmissionInbox>().ListAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));
    }

    [Fact]
    public async Task ASubmissionTheQueueDoesNotTake_IsAnswered503_AndNothingIsKept()
    {
        using var factory = new DataRightsFactory { ConfigureServices = s => s.AddSingleton<ISubmissionQueue, RefusingQueue>() };
        using var client = factory.CreateClient();

        using var answer = await client.PostJsonAsync(Submissions.Valid("refused@example.com"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.NotNull(answer.Headers.RetryAfter);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("refused@example.com", await answer.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        await factory.DrainAsync();
        Assert.Empty(await factory.Services.GetRequiredService<ISubmissionInbox>().ListAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));
        Assert.Equal(0, await factory.Stored.RequestCountWithoutWaitingAsync());
        Assert.Empty(factory.Outbox);
    }

    [Fact]
    public async Task AQueuedSubmissionThatCannotBeKeptAtFirst_IsReadAgain_AndTakenInOnce()
    {
        var inbox = new HeldInbox(released: true) { FailAdds = 2 };
        using var factory = new DataRightsFactory { ConfigureServices = s => inbox.Wrap(s) };
        using var client = factory.CreateClient();

        using var answer = await client.PostJsonAsync(Submissions.Valid("second.try@example.com"));
        await factory.DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal(0, inbox.FailAdds);
        Assert.Single(await factory.Stored.RequestsAsync());
        Assert.Single(factory.Outbox, m => m.To == "second.try@example.com");
        Assert.Equal(2, factory.Logs.Lines.Count(l => l.Contains("[3442] Submission ", StringComparison.Ordinal)));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("second.try", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AQueuedSubmissionFailingEveryTry_GoesToThePoisonQueue_AndTheWorkflowCheckTakesItIn_ItsClockFromItsArrival()
    {
        var inbox = new HeldInbox(released: true) { FailAdds = 1_000 };
        using var factory = new DataRightsFactory { ConfigureServices = s => inbox.Wrap(s) };
        using var client = factory.CreateClient();
        var queue = factory.Services.GetRequiredService<SubmissionQueue>();
        var arrived = factory.Clock.GetUtcNow();

        using var answer = await client.PostJsonAsync(Submissions.Valid("poisoned@example.com"));
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);

        // Five tries, pausing 1, 2, 4 and 8 s between them (real time: the queue's own), then the poison queue.
        await SubmissionInboxWaits.QueueReadAsync(queue.CountAsync);
        Assert.Equal(1, await queue.CountAsync(poison: true, CancellationToken.None));
        Assert.Equal(1_000 - SubmissionQueueListener.MaxDequeueCount, inbox.FailAdds);
        Assert.Contains(factory.Logs.Lines, l => l.Contains("[3443] A submission queue message", StringComparison.Ordinal));
        Assert.Equal(0, await factory.Stored.RequestCountWithoutWaitingAsync());

        // The store back, the hourly check keeps it and takes it in, its clock from when it was answered.
        inbox.FailAdds = 0;
        await factory.AdvanceAsync(TimeSpan.FromHours(1));
        await factory.Services.GetRequiredService<WorkflowCheckJob>().CheckAsync(CancellationToken.None);
        await factory.DrainAsync();

        var request = await factory.Stored.SingleRequestAsync();
        Assert.InRange(request.ReceivedAt, arrived, arrived + TimeSpan.FromSeconds(1));
        Assert.Single(factory.Outbox, m => m.To == "poisoned@example.com");
        Assert.Equal(0, await queue.CountAsync(poison: true, CancellationToken.None));
        Assert.Contains(factory.Logs.Lines, l => l.Contains("[3444] The workflow check kept submission", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AQueueMessageThatIsNotASubmission_IsPutAsideAtOnce_AndRemovedByTheWorkflowCheck()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();
        var queue = factory.Services.GetRequiredService<SubmissionQueue>();
        var connection = factory.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["AzureWebJobsStorage"];
        var raw = new global::Azure.Storage.Queues.QueueClient(connection, queue.Name, new global::Azure.Storage.Queues.QueueClientOptions { MessageEncoding = global::Azure.Storage.Queues.QueueMessageEncoding.Base64 });
        await queue.CountAsync(CancellationToken.None);

        await raw.SendMessageAsync("{\"id\": 42}");
        await SubmissionInboxWaits.QueueReadAsync(queue.CountAsync);
        Assert.Equal(1, await queue.CountAsync(poison: true, CancellationToken.None));

        await factory.Services.GetRequiredService<WorkflowCheckJob>().CheckAsync(CancellationToken.None);

        Assert.Equal(0, await queue.CountAsync(poison: true, CancellationToken.None));
        Assert.Contains(factory.Logs.Lines, l => l.Contains("[3445]", StringComparison.Ordinal) && l.Contains("not a submission: removed", StringComparison.Ordinal));
        Assert.Equal(0, await factory.Stored.RequestCountWithoutWaitingAsync());
    }

    [Fact]
    public async Task TheTaskHubsBacklog_CountsItsDueMessages_WrittenAsTheBackendWritesThem()
    {
        // The task hub's backend writes its control and work-item messages as plain JSON, not Base64 as the submission
        // queue's: the reader's pacing counts them (it used to fail to decode them, and held the reader up 2 s each time).
        var hub = "hub" + Guid.NewGuid().ToString("N")[..12];
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:Durable:HubName"] = hub });
        using var client = factory.CreateClient();
        var queue = factory.Services.GetRequiredService<SubmissionQueue>();
        var connection = factory.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["AzureWebJobsStorage"];
        Assert.Equal(0, await queue.TaskHubBacklogAsync(CancellationToken.None));

        foreach (var (name, count) in new[] { ($"{hub}-control-00", 2), ($"{hub}-workitems", 3) })
        {
            var raw = new global::Azure.Storage.Queues.QueueClient(connection, name);
            await raw.CreateIfNotExistsAsync();
            for (var i = 0; i < count; i++)
            {
                await raw.SendMessageAsync("{\"$type\":\"DurableTask.AzureStorage.MessageData\",\"ActivityId\":\"" + Guid.NewGuid() + "\"}");
            }

            // A durable timer: a message hidden until it is due, which is no backlog.
            await raw.SendMessageAsync("{\"timer\":true}", visibilityTimeout: TimeSpan.FromMinutes(5));
        }

        Assert.Equal(5, await queue.TaskHubBacklogAsync(CancellationToken.None));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("[3446]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABurstOfSubmissions_IsHandedOverSixteenAtATime_TheRestWaitingOnTheQueue()
    {
        var held = new HeldInbox();
        using var factory = new DataRightsFactory { ConfigureServices = s => held.Wrap(s) };
        using var client = factory.CreateClient();
        var queue = factory.Services.GetRequiredService<SubmissionQueue>();
        var inbox = factory.Services.GetRequiredService<ISubmissionInbox>();
        for (var i = 0; i < 20; i++)
        {
            await queue.SendAsync(Kept($"burst{i}@example.com", factory.Clock.GetUtcNow()), CancellationToken.None);
        }

        // None can be taken in while the inbox's reads are held: sixteen are kept, and the other four wait on the queue.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await inbox.ListAsync(DateTimeOffset.MaxValue, 100, CancellationToken.None)).Count < SubmissionQueueListener.MaxInTaking && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        await Task.Delay(300);
        Assert.Equal(SubmissionQueueListener.MaxInTaking, (await inbox.ListAsync(DateTimeOffset.MaxValue, 100, CancellationToken.None)).Count);
        Assert.Equal(20 - SubmissionQueueListener.MaxInTaking, await queue.CountAsync(CancellationToken.None));

        // Once taking in runs, the rest follow.
        held.Release();
        await factory.Services.TakenInAsync();
        Assert.Equal(20, await factory.Stored.RequestCountWithoutWaitingAsync());
    }

    /// <summary>A submission queue that takes nothing, as with the queue service unreachable.</summary>
    private sealed class RefusingQueue : ISubmissionQueue
    {
        public Task SendAsync(ReceivedSubmission submission, CancellationToken cancellationToken) =>
            Task.FromException(new global::Azure.RequestFailedException(503, "The queue service is unavailable (test)."));
    }

    private static ReceivedSubmission Kept(string email, DateTimeOffset at, string? id = null) =>
        new(id ?? RequestIds.New(), IntakeChannel.Api, at, new IntakeSubmission("access", email, "Kept Person", "UK", null, null));

    private static async Task<string> TakeInAsync(DataRightsFactory factory, string id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IntakeService>().TakeInAsync(id, CancellationToken.None);
    }

    /// <summary>The host's announcer, whose first start of a new request's orchestration waits until released (a taking in paused between its claim and its write).</summary>
    private sealed class PausingAnnouncer(ICommitAnnouncer inner, TaskCompletionSource paused, Task resume) : ICommitAnnouncer
    {
        public Task AnnounceAsync(string requestId, long version, bool runEnded, string decided, CancellationToken cancellationToken) =>
            inner.AnnounceAsync(requestId, version, runEnded, decided, cancellationToken);

        public async Task AnnounceNewAsync(string requestId, long version, CancellationToken cancellationToken)
        {
            if (paused.TrySetResult())
            {
                await resume.WaitAsync(cancellationToken);
            }

            await inner.AnnounceNewAsync(requestId, version, cancellationToken);
        }

        public Task LandedAsync(string requestId, long version, TimeSpan since, CancellationToken cancellationToken) =>
            inner.LandedAsync(requestId, version, since, cancellationToken);
    }

    /// <summary>
    /// The program's inbox, whose reads wait until released (no submission can be taken in before then), and whose next
    /// <see cref="FailRemovals"/> removals fail as a process stopping there would.
    /// </summary>
    private sealed class HeldInbox
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _failRemovals;
        private int _failReads;
        private int _failAdds;

        public HeldInbox(bool released = false)
        {
            if (released)
            {
                Release();
            }
        }

        public int FailRemovals
        {
            get => Volatile.Read(ref _failRemovals);
            set => Volatile.Write(ref _failRemovals, value);
        }

        /// <summary>How many of the next reads fail, as with the store unreachable.</summary>
        public int FailReads
        {
            get => Volatile.Read(ref _failReads);
            set => Volatile.Write(ref _failReads, value);
        }

        /// <summary>How many of the next additions fail, as with the store unreachable.</summary>
        public int FailAdds
        {
            get => Math.Max(0, Volatile.Read(ref _failAdds));
            set => Volatile.Write(ref _failAdds, value);
        }

        public void Release() => _released.TrySetResult();

        public void Wrap(IServiceCollection services)
        {
            var inner = services.Last(d => d.ServiceType == typeof(ISubmissionInbox));
            services.Add(ServiceDescriptor.Singleton<ISubmissionInbox>(sp => new Held((ISubmissionInbox)(inner.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!)), this)));
        }

        private sealed class Held(ISubmissionInbox inner, HeldInbox outer) : ISubmissionInbox
        {
            public Task AddAsync(ReceivedSubmission submission, CancellationToken cancellationToken) =>
                Interlocked.Decrement(ref outer._failAdds) >= 0
                    ? throw new IOException("The store is unreachable (test).")
                    : inner.AddAsync(submission, cancellationToken);

            public async Task<ReceivedSubmission?> GetAsync(string id, CancellationToken cancellationToken)
            {
                await outer._released.Task.WaitAsync(cancellationToken);
                return Interlocked.Decrement(ref outer._failReads) >= 0
                    ? throw new IOException("The store is unreachable (test).")
                    : await inner.GetAsync(id, cancellationToken);
            }

            public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
                Interlocked.Decrement(ref outer._failRemovals) >= 0
                    ? throw new IOException("The process stopped before the submission was removed (test).")
                    : inner.RemoveAsync(id, cancellationToken);

            public Task<IReadOnlyList<ReceivedSubmission>> ListAsync(DateTimeOffset receivedBefore, int max, CancellationToken cancellationToken) =>
                inner.ListAsync(receivedBefore, max, cancellationToken);

            public Task<bool> MarkAsync(string id, SubmissionSetAside? setAside, CancellationToken cancellationToken) => inner.MarkAsync(id, setAside, cancellationToken);

            public Task<IReadOnlyList<ReceivedSubmission>> ListSetAsideAsync(int max, CancellationToken cancellationToken) => inner.ListSetAsideAsync(max, cancellationToken);
        }
    }
}
