using System.Collections.Concurrent;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.Durable;
using DataRights.Testing.Durable;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// The request orchestration on the in-memory Durable Task test host (real replay), with its activities replaced by
/// scripted ones: durable timers, retries (a step's own, and an activity that cannot run), repeated deliveries,
/// settling, and continue-as-new.
/// </summary>
public sealed class RequestOrchestratorTests
{
    private static readonly RunSettings Fast = new(MaxAttempts: 3, FirstRetry: TimeSpan.FromMilliseconds(200), MaxRetry: TimeSpan.FromSeconds(1), NotNowRetry: TimeSpan.FromMilliseconds(300), StepsPerGeneration: 10);

    [Fact]
    public async Task FutureWork_WaitsForItsDueTime_ThenRunsOnce()
    {
        var script = new Script();
        await using var host = await StartAsync(script);
        var due = TimeProvider.System.GetUtcNow().AddSeconds(2);

        var output = await RunAsync(host, [new DeliveredWork("w1", "export", due)], script);

        Assert.Equal("completed", output);
        var ran = Assert.Single(script.Runs);
        Assert.Equal("w1", ran.Id);
        Assert.True(ran.At >= due, $"ran at {ran.At:O}, due {due:O}");
    }

    [Fact]
    public async Task SettledRequest_EndsItsRunLast_AndCarriesOnWhenWorkCameInBeforeTheEnd()
    {
        var now = TimeProvider.System.GetUtcNow();
        var script = new Script { CameInBeforeEnd = new DeliveredWork("status-link", "message", now) };
        await using var host = await StartAsync(script);

        var output = await RunAsync(host, [new DeliveredWork("w1", "export", now)], script);

        // Settled after w1, it asked to end; the end found new work, which ran; then it ended.
        Assert.Equal("completed", output);
        Assert.Equal(["w1", "status-link"], script.Runs.Select(r => r.Id));
        Assert.Equal(2, script.Ends.Count);
        Assert.True(script.Ends[0] <= script.Runs[1].At && script.Runs[1].At <= script.Ends[1]);
    }

    [Fact]
    public async Task ActivityThatCannotRun_IsTriedAgain_ThenGivenUpAndRecorded()
    {
        var script = new Script { Fail = id => id == "broken" };
        await using var host = await StartAsync(script);
        var now = TimeProvider.System.GetUtcNow();

        await RunAsync(host, [new DeliveredWork("broken", "message", now), new DeliveredWork("fine", "message", now)], script);

        Assert.Equal(3, script.Runs.Count(r => r.Id == "broken"));
        Assert.Equal(1, script.Runs.Count(r => r.Id == "fine"));
        Assert.Equal(["broken"], script.GivenUp);
    }

    [Fact]
    public async Task AStepThatKeptStoppingTheProgram_IsGivenUpAtOnce_NotTriedAgain_AndRecordedAsSuch()
    {
        // The local task hub no longer runs the export's step (it was in progress each time the program stopped) and fails
        // it: the run gives the work up at once, saying why, where a failing step is tried three times.
        var script = new Script { StopsTheProgram = id => id == "huge-export" };
        await using var host = await StartAsync(script);
        var now = TimeProvider.System.GetUtcNow();

        await RunAsync(host, [new DeliveredWork("huge-export", "export", now), new DeliveredWork("fine", "message", now)], script);

        Assert.Equal(1, script.Runs.Count(r => r.Id == "huge-export"));
        Assert.Equal(1, script.Runs.Count(r => r.Id == "fine"));
        Assert.Equal(["huge-export"], script.GivenUp);
        Assert.Equal(["huge-export"], script.GivenUpStoppedQueue);
    }

    [Fact]
    public async Task ASourceWhoseSearchKeptStoppingTheProgram_IsRecordedAsFailed_WithoutBeingAskedAgain()
    {
        // Two sources searched side by side; asking crm kept stopping the program. Its step is run once more, told not to
        // ask the source but to record its failure, and the round goes on with billing's answer.
        var now = TimeProvider.System.GetUtcNow();
        var script = new Script
        {
            SettleAfter = 99,
            At = Searching(3, "crm", "billing"),
            AfterSteps = new RequestStage(RequestStatus.AwaitingApproval, VerificationRound: 1, ApprovalRound: 1, Version: 0),
            StopsTheProgram = source => source == "crm",
        };
        await using var host = await StartAsync(script);
        var id = await StartAtStageAsync(host, script, now);
        await IdleAsync(host, id, () => script.StepRuns.Count == 3, waiting: 0);

        var crm = script.StepRuns.Where(r => r.Step == "discover.crm.1").ToList();
        Assert.Equal(2, crm.Count);
        Assert.All(crm, r => Assert.Equal(1, r.Attempt));
        Assert.Equal(["discover.crm.1"], script.GivenUpStoppedQueue);
        Assert.Single(script.StepRuns, r => r.Step == "discover.billing.1");
        Assert.Equal("awaiting-approval", (await StatusAsync(host, id)).Step);
        await host.Client.TerminateInstanceAsync(id);
    }

    [Fact]
    public async Task FailedStep_IsRunAgainWhenItSays_NotBefore()
    {
        var script = new Script { FailedTimes = 2, RetryAfter = TimeSpan.FromMilliseconds(700) };
        await using var host = await StartAsync(script);

        await RunAsync(host, [new DeliveredWork("w1", "message", TimeProvider.System.GetUtcNow())], script);

        Assert.Equal(3, script.Runs.Count);
        Assert.Empty(script.GivenUp);
        for (var i = 1; i < script.Runs.Count; i++)
        {
            // Each run after a failure waited for the time that failure named (the work queue's backoff).
            Assert.True(script.Runs[i].At >= script.Runs[i - 1].At + script.RetryAfter, $"run {i + 1} at {script.Runs[i].At:O}, the one before at {script.Runs[i - 1].At:O}");
        }
    }

    [Fact]
    public async Task StepNotRunnableYet_IsTriedAgainLater_WithoutUsingUpItsRetries()
    {
        var script = new Script { NotNowTimes = 2 };
        await using var host = await StartAsync(script);

        await RunAsync(host, [new DeliveredWork("w1", "message", TimeProvider.System.GetUtcNow())], script);

        Assert.Equal(3, script.Runs.Count);
        Assert.Empty(script.GivenUp);
    }

    [Fact]
    public async Task RepeatedDelivery_OfWorkInHand_RunsItOnce()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new Script { Hold = release.Task, SettleAfter = 2 };
        await using var host = await StartAsync(script);
        var now = TimeProvider.System.GetUtcNow();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(RequestOrchestrator.Name, new RequestRun("r1", [new DeliveredWork("w1", "message", now)], Fast, TimeProvider.System.GetUtcNow()));

        await script.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await host.Client.RaiseEventAsync(id, RequestOrchestrator.WorkEvent, new HandedOverWork([new DeliveredWork("w1", "message", now)], now));
        await host.Client.RaiseEventAsync(id, RequestOrchestrator.WorkEvent, new HandedOverWork([new DeliveredWork("w2", "message", now), new DeliveredWork("w1", "message", now)], now));
        release.SetResult();
        var done = await WaitAsync(host, id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(1, script.Runs.Count(r => r.Id == "w1"));
        Assert.Equal(1, script.Runs.Count(r => r.Id == "w2"));
    }

    [Fact]
    public async Task RepeatedDelivery_OfWorkAlreadyFinished_IsNotRunAgain()
    {
        // No clock decides this test: the reminder is due in an hour and only keeps the orchestration open.
        var script = new Script { SettleAfter = 3 };
        await using var host = await StartAsync(script);
        var now = TimeProvider.System.GetUtcNow();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(
            RequestOrchestrator.Name, new RequestRun("r1", [new DeliveredWork("w1", "message", now), new DeliveredWork("reminder", "export", now.AddHours(1))], Fast, now));

        // w1 has run and its completion was taken in: only the reminder's timer is left.
        await IdleAsync(host, id, () => script.Runs.Any(r => r.Id == "w1"));

        // w1 is delivered again, then w2: events are taken in the order they came, so once w2 has run and nothing runs
        // any more, the repeat of w1 was taken too.
        await host.Client.RaiseEventAsync(id, RequestOrchestrator.WorkEvent, new HandedOverWork([new DeliveredWork("w1", "message", now)], now));
        await host.Client.RaiseEventAsync(id, RequestOrchestrator.WorkEvent, new HandedOverWork([new DeliveredWork("w2", "message", now)], now));
        await IdleAsync(host, id, () => script.Runs.Any(r => r.Id == "w2"));

        Assert.Equal(1, script.Runs.Count(r => r.Id == "w1"));
        Assert.Equal(1, script.Runs.Count(r => r.Id == "w2"));
        Assert.DoesNotContain(script.Runs, r => r.Id == "reminder");
        await host.Client.TerminateInstanceAsync(id);
    }

    [Fact]
    public async Task StepsFinishingSideBySide_EachSeeingTheOtherOpen_StillSettleTheRequest()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new Script { Hold = release.Task, SettleAfter = 2, StaleStanding = true };
        await using var host = await StartAsync(script);
        var now = TimeProvider.System.GetUtcNow();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(
            RequestOrchestrator.Name, new RequestRun("r1", [new DeliveredWork("w1", "message", now), new DeliveredWork("w2", "message", now)], Fast, TimeProvider.System.GetUtcNow()));

        await script.BothStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        release.SetResult();
        var done = await WaitAsync(host, id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(2, script.Runs.Count);
    }

    [Fact]
    public async Task AClosedRequestLeftUnsettledByItsSteps_IsLookedAtByItsRunsEnd_InOneStep()
    {
        // The step closed the request but saw work still open (another step's, since finished): the look that follows is
        // the run's end itself, which reads the request as a look does and ends the run with nothing left.
        var script = new Script { StaleStanding = true };
        await using var host = await StartAsync(script);

        var output = await RunAsync(host, [new DeliveredWork("w1", "message", TimeProvider.System.GetUtcNow())], script);

        Assert.Equal("completed", output);
        Assert.Single(script.Runs);
        Assert.Empty(script.Checks);
        Assert.Single(script.Ends);
    }

    [Fact]
    public async Task ALookAtTheRequestThatCannotBeTaken_IsTakenAgainAfterAGrowingPause_UntilItSettles()
    {
        // The step leaves the open request unsettled and the store cannot be read for the look that follows: nothing else
        // would bring the request's open work back to its orchestration, so it looks again later, and settles once it can.
        var script = new Script { StaleStanding = true, CheckFailures = 2, Status = "executing" };
        await using var host = await StartAsync(script);

        var output = await RunAsync(host, [new DeliveredWork("w1", "message", TimeProvider.System.GetUtcNow())], script);

        Assert.Equal("executing", output);
        Assert.Single(script.Runs);
        var checks = script.Checks;
        Assert.Equal(3, checks.Count);
        // The pauses run from the last time the orchestration knew (a look that failed tells it none): the first from the
        // step's end; the second, twice as long, from the first pause's end. A durable timer never fires early, so each
        // look comes no sooner than its pause's end, however late a loaded machine runs it.
        var stepEnd = Assert.Single(script.Finished);
        Assert.True(checks[1] >= stepEnd + Fast.FirstRetry, $"second look {(checks[1] - stepEnd).TotalMilliseconds} ms after the step's end");
        Assert.True(checks[2] >= stepEnd + Fast.FirstRetry + (Fast.FirstRetry * 2), $"third look {(checks[2] - stepEnd).TotalMilliseconds} ms after the step's end");
    }

    [Fact]
    public async Task WorkAStepCommits_ComesBackInItsResult_AndRunsOnce_WithoutAnEvent()
    {
        var now = TimeProvider.System.GetUtcNow();
        var script = new Script
        {
            SettleAfter = 5,
            Commits = new Dictionary<string, DeliveredWork[]>(StringComparer.Ordinal)
            {
                // Verification starts discovery at two sources; the first source's outcome asks for a message.
                ["verified"] = [new DeliveredWork("discover-crm", "message", now), new DeliveredWork("discover-billing", "message", now)],
                ["discover-crm"] = [new DeliveredWork("approval-mail", "message", now)],
                ["discover-billing"] = [new DeliveredWork("reminder", "export", now.AddSeconds(1))],
            },
        };
        await using var host = await StartAsync(script);

        await RunAsync(host, [new DeliveredWork("verified", "message", now)], script);

        // No work event was raised: every item reached the orchestration in the result of the step that committed it.
        Assert.Equal(["approval-mail", "discover-billing", "discover-crm", "reminder", "verified"], script.Runs.Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task History_ReadsAsTheJourney_StepsNamedForWhatTheyDo_DecisionsTakenByName_NextTimerNamedInTheStatus()
    {
        // No clock decides this test: the reminder is due in an hour, and work due at once stands in for work come due.
        var now = TimeProvider.System.GetUtcNow();
        var script = new Script { SettleAfter = 4, At = Keeping(RequestStatus.AwaitingVerification, 0, 1, new PlannedTimer(TimerKind.VerificationReminder, "1", now.AddHours(1))) };
        await using var host = await StartAsync(script);
        var id = await StartAtStageAsync(host, script, now);

        // Waiting for the person, the status names what comes next.
        await IdleAsync(host, id, () => true);
        var status = (await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true))!.ReadCustomStatusAs<RequestRunStatus>()!;
        Assert.Equal("reminder to the person to confirm their request", status.Next);

        // The person confirms: the decision comes as the "verified" event (the generic "work" event is waited for too). Its
        // commit's stage lists the source to search, which runs as SearchSource.
        script.At = Searching(2, "crm");
        await host.Client.RaiseEventAsync(id, "verified", new HandedOverWork([new DeliveredWork("r1:message:approval-request:1", "message", now)], now, CommitVersion: 2));
        await IdleAsync(host, id, () => script.Runs.Count == 2, waiting: 0);

        // Confirmed, the person's reminder is no longer waited for.
        Assert.Empty((await StatusAsync(host, id)).Timers);

        // An export's deletion whose time has come runs as PrepareOrDeleteExport.
        await host.Client.RaiseEventAsync(id, RequestOrchestrator.WorkEvent, new HandedOverWork([new DeliveredWork("r1:export:delete:1", WorkItem.Export, now)], now));
        await IdleAsync(host, id, () => script.Runs.Count == 3, waiting: 0);

        Assert.Equal(
            [("r1:discover:crm:1", JourneySteps.SearchSource), ("r1:export:delete:1", JourneySteps.PrepareOrDeleteExport), ("r1:message:approval-request:1", JourneySteps.SendEmail)],
            script.Activities.OrderBy(a => a.Id, StringComparer.Ordinal));
        await host.Client.TerminateInstanceAsync(id);
    }

    /// <summary>A request being searched at <paramref name="version"/>, each of <paramref name="sources"/> still to search in round 1.</summary>
    private static RequestStage Searching(long version, params string[] sources) =>
        new(RequestStatus.Discovering, VerificationRound: 1, ApprovalRound: 0, Version: version) { Steps = [.. sources.Select(s => new PendingSourceStep(SourceStep.Discover, s, 1))] };

    [Fact]
    public async Task TheStagesSourceSteps_RunSideBySide_EachOnce_AFailedAttemptTriedAgainWhenItSays_WithItsNumber()
    {
        // Being searched, with no work item in hand: the stage lists two sources, and each search is a step of the run.
        // crm is down on its first attempt, which says to try again in 700 ms; billing answers at once. Once both have
        // answered, the request awaits approval, and nothing is searched again.
        var now = TimeProvider.System.GetUtcNow();
        var script = new Script
        {
            SettleAfter = 99,
            At = Searching(3, "crm", "billing"),
            AfterSteps = new RequestStage(RequestStatus.AwaitingApproval, VerificationRound: 1, ApprovalRound: 1, Version: 0),
            FailedAttempts = new Dictionary<string, int> { ["crm"] = 1 },
            RetryAfter = TimeSpan.FromMilliseconds(700),
        };
        await using var host = await StartAsync(script);
        var id = await StartAtStageAsync(host, script, now);
        await IdleAsync(host, id, () => script.StepRuns.Count == 3, waiting: 0);

        Assert.Equal(
            [("discover.billing.1", JourneySteps.SearchSource, 1), ("discover.crm.1", JourneySteps.SearchSource, 1), ("discover.crm.1", JourneySteps.SearchSource, 2)],
            script.StepRuns.Select(r => (r.Step, r.Activity, r.Attempt)).Order());
        var crm = script.StepRuns.Where(r => r.Step == "discover.crm.1").ToList();
        Assert.True(crm[1].At >= crm[0].At.AddMilliseconds(700), $"tried again at {crm[1].At:O}, first at {crm[0].At:O}");
        Assert.True(script.StepRuns.Single(r => r.Step == "discover.billing.1").At < crm[1].At, "billing waited for crm's second attempt");
        Assert.Equal("awaiting-approval", (await StatusAsync(host, id)).Step);
        await host.Client.TerminateInstanceAsync(id);
    }

    [Fact]
    public async Task AFanOutsSourcesThatHaveAnswered_NoLongerCountAsRunning_WhileAnotherWaitsToBeTriedAgain()
    {
        // Three sources searched in one fan-out: billing and erp answer at once, crm is down on its first attempt and
        // says to try again in 3 s. Meanwhile the run's status counts one step in progress, not three; once crm has
        // answered, the round is taken on together and the request awaits approval.
        var now = TimeProvider.System.GetUtcNow();
        var script = new Script
        {
            SettleAfter = 99,
            At = Searching(3, "crm", "billing", "erp"),
            AfterSteps = new RequestStage(RequestStatus.AwaitingApproval, VerificationRound: 1, ApprovalRound: 1, Version: 0),
            FailedAttempts = new Dictionary<string, int> { ["crm"] = 1 },
            RetryAfter = TimeSpan.FromSeconds(3),
        };
        await using var host = await StartAsync(script);
        var id = await StartAtStageAsync(host, script, now);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<int>();
        while (script.StepRuns.Count < 4)
        {
            if (script.StepRuns.Count == 3 && (await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, timeout.Token))?.ReadCustomStatusAs<RequestRunStatus>() is { } status)
            {
                seen.Add(status.Running);
            }

            await Task.Delay(20, timeout.Token);
        }

        Assert.Contains(1, seen);
        await IdleAsync(host, id, () => script.StepRuns.Count == 4, waiting: 0);
        Assert.Equal("discover.crm.1", script.StepRuns[^1].Step);
        Assert.Equal(2, script.StepRuns[^1].Attempt);
        Assert.Equal("awaiting-approval", (await StatusAsync(host, id)).Step);
        await host.Client.TerminateInstanceAsync(id);
    }

    [Fact]
    public async Task ASourceStepWhoseActivityFailsOnEveryTry_IsRunAgainOnceALookListsIt()
    {
        // The store cannot be reached on the step's three tries: how the search ended is unknown. The run looks at the
        // request after a pause, which still lists the search, and runs it again, from its first attempt; it then answers.
        var now = TimeProvider.System.GetUtcNow();
        var script = new Script
        {
            SettleAfter = 99,
            At = Searching(3, "crm"),
            AfterSteps = new RequestStage(RequestStatus.AwaitingApproval, VerificationRound: 1, ApprovalRound: 1, Version: 0),
            StepStoreFailures = Fast.MaxAttempts,
        };
        await using var host = await StartAsync(script);
        var id = await StartAtStageAsync(host, script, now);
        await IdleAsync(host, id, () => script.Done.Contains("r1:discover:crm:1"), waiting: 0);

        Assert.Equal([1, 1, 1, 1], script.StepRuns.Select(r => r.Attempt));
        Assert.True(script.StepRuns[3].At > script.Checks[0], "the search ran again before the look");
        Assert.Equal("awaiting-approval", (await StatusAsync(host, id)).Step);
        await host.Client.TerminateInstanceAsync(id);
    }

    /// <summary>Starts the request's run at the stage the script reports, with <paramref name="work"/> in hand (none unless given).</summary>
    private static Task<string> StartAtStageAsync(DurableTaskTestHost host, Script script, DateTimeOffset now, IReadOnlyList<DeliveredWork>? work = null) =>
        host.Client.ScheduleNewOrchestrationInstanceAsync(RequestOrchestrator.Name, new RequestRun("r1", work ?? [], Fast, now) { Stage = script.Stage });

    /// <summary>A request waiting in <paramref name="status"/> at <paramref name="version"/>, keeping <paramref name="timers"/>.</summary>
    private static RequestStage Keeping(RequestStatus status, int approvalRound, long version, params PlannedTimer[] timers) =>
        new(status, VerificationRound: 1, ApprovalRound: approvalRound, Version: version) { Timers = timers };

    private static RequestStage AwaitingApprovalDue(string due, long version, DateTimeOffset first, TimeSpan apart)
    {
        var date = DateOnly.ParseExact(due, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return new RequestStage(RequestStatus.AwaitingApproval, VerificationRound: 1, ApprovalRound: 1, Version: version)
        {
            DueOn = date,
            Timers =
            [
                new PlannedTimer(TimerKind.DeadlineReminder, $"3d@{due}", first),
                new PlannedTimer(TimerKind.DeadlineReminder, $"1d@{due}", first + apart),
                new PlannedTimer(TimerKind.Overdue, $"@{due}", first + apart + apart),
            ],
        };
    }

    [Fact]
    public async Task TheStagesDeadlineTimers_WaitAsTimersOfTheRun_AndEachFiresOnce_AsItsOwnStep()
    {
        // Awaiting approval, with no work in hand: the request's deadline timers are the run's own, from its stage (no
        // work item behind them). The first, two seconds away, tells the request, whose email to the privacy team runs.
        var now = TimeProvider.System.GetUtcNow();
        var script = new Script { SettleAfter = 99, At = AwaitingApprovalDue("2027-01-01", 5, now.AddSeconds(2), TimeSpan.FromHours(1)) };
        await using var host = await StartAsync(script);
        var id = await StartAtStageAsync(host, script, now);
        await IdleAsync(host, id, () => true, waiting: 3);
        var status = await StatusAsync(host, id);
        Assert.Equal((now.AddSeconds(2), "deadline reminder to the privacy team"), (status.NextAt, status.Next));
        Assert.Empty(script.TimersFired);

        await IdleAsync(host, id, () => script.Runs.Count == 1, waiting: 2);

        var due = Assert.Single(script.TimersFired);
        Assert.Equal(("deadline-reminder:3d@2027-01-01", JourneySteps.RemindOfDeadline), (due.Timer, due.Activity));
        Assert.True(due.At >= now.AddSeconds(2), $"told at {due.At:O}, due {now.AddSeconds(2):O}");
        Assert.Equal([("r1:message:staff-deadline-reminder:3d@2027-01-01", JourneySteps.SendEmail)], script.Activities);
        Assert.Equal(now.AddSeconds(2).AddHours(1), (await StatusAsync(host, id)).NextAt);
        await host.Client.TerminateInstanceAsync(id);
    }

    [Fact]
    public async Task AWaitForThePerson_IsItsTimersRacedAgainstTheEvent_TheReminderRunsAsRemindToConfirm_AndTheAnswerLetsGoOfTheExpiry()
    {
        // Waiting for the person's confirmation: its reminder (two seconds away) and expiry (an hour) are the run's own
        // timers. The reminder fires and runs as RemindToConfirm; then the person confirms, the search's step reports the
        // request awaiting approval with the approvers' timers, and the expiry stops waiting with no step.
        var now = TimeProvider.System.GetUtcNow();
        var script = new Script
        {
            SettleAfter = 99,
            At = Keeping(RequestStatus.AwaitingVerification, 0, 1, new(TimerKind.VerificationReminder, "1", now.AddSeconds(2)), new(TimerKind.VerificationExpiry, "1", now.AddHours(1))),
        };
        await using var host = await StartAsync(script);
        var id = await StartAtStageAsync(host, script, now);
        await IdleAsync(host, id, () => script.Runs.Count == 1, waiting: 1);
        Assert.Equal([("verification-reminder:1", JourneySteps.RemindToConfirm)], script.TimersFired.Select(t => (t.Timer, t.Activity)));
        Assert.Equal(["r1:message:staff-verification-reminder:1"], script.Activities.Select(a => a.Id));
        Assert.Equal((now.AddHours(1), "end of the time the person has to confirm their request"), ((await StatusAsync(host, id)).NextAt, (await StatusAsync(host, id)).Next));

        script.At = Keeping(RequestStatus.AwaitingApproval, 1, 3, new(TimerKind.ApprovalReminder, "1", now.AddHours(48)), new(TimerKind.ApprovalEscalation, "1", now.AddHours(96)));
        await host.Client.RaiseEventAsync(id, "verified", new HandedOverWork([new DeliveredWork("r1:message:approval-request:1", WorkItem.Message, now)], now));
        await IdleAsync(host, id, () => script.Runs.Count == 2, waiting: 2);

        var status = await StatusAsync(host, id);
        Assert.Equal(["approval-reminder:1", "approval-escalation:1"], status.Timers);
        Assert.Equal((now.AddHours(48), "reminder to the approvers"), (status.NextAt, status.Next));
        Assert.Single(script.TimersFired);
        await host.Client.TerminateInstanceAsync(id);
    }

    [Fact]
    public async Task ADeadlineTimerTheStageNoLongerLists_IsLetGo_WithoutAStep_AndTheCloseLetsGoOfAll()
    {
        // Staff extend the deadline from 1 January to 1 March: the step after it reports the new date's timers, and the
        // earlier date's stop waiting with no step to drop them. Staff then reject the request: its stage lists none,
        // and the run ends once the rejection's email has gone, though the timers were hours away.
        var now = TimeProvider.System.GetUtcNow();
        var script = new Script { SettleAfter = 2, At = AwaitingApprovalDue("2027-01-01", 5, now.AddHours(1), TimeSpan.FromHours(1)) };
        await using var host = await StartAsync(script);
        var id = await StartAtStageAsync(host, script, now);
        await IdleAsync(host, id, () => true, waiting: 3);
        Assert.Equal(now.AddHours(1), (await StatusAsync(host, id)).NextAt);

        script.At = AwaitingApprovalDue("2027-03-01", 6, now.AddHours(10), TimeSpan.FromHours(1));
        await host.Client.RaiseEventAsync(id, "deadline-extended", new HandedOverWork([new DeliveredWork("r1:message:extension-notice:1", WorkItem.Message, now)], now));
        await IdleAsync(host, id, () => script.Runs.Count == 1, waiting: 3);
        Assert.Equal(now.AddHours(10), (await StatusAsync(host, id)).NextAt);

        script.At = new RequestStage(RequestStatus.Rejected, VerificationRound: 1, ApprovalRound: 1, Version: 7) { DueOn = new DateOnly(2027, 3, 1) };
        await host.Client.RaiseEventAsync(id, "rejected", new HandedOverWork([new DeliveredWork("r1:message:rejection:1", WorkItem.Message, now)], now));
        var done = await WaitAsync(host, id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["r1:message:extension-notice:1", "r1:message:rejection:1"], script.Activities.Select(a => a.Id));
        Assert.Empty(script.TimersFired);
    }

    [Fact]
    public async Task ADeadlineTimerWhoseTellingFailsOnEveryTry_IsSetAgainByALook_AndActsOnce()
    {
        // The store cannot be reached for the three tries of telling the request its reminder fired: how it ended is
        // unknown, so the request is looked at after a pause; the stage still lists the reminder, now past, and the
        // request is told at once. One email.
        var now = TimeProvider.System.GetUtcNow();
        var script = new Script
        {
            SettleAfter = 99,
            TimerFiredFailures = Fast.MaxAttempts,
            At = AwaitingApprovalDue("2027-01-01", 5, now.AddSeconds(1), TimeSpan.FromHours(1)),
        };
        await using var host = await StartAsync(script);
        var id = await StartAtStageAsync(host, script, now);

        await IdleAsync(host, id, () => script.Runs.Count == 1, waiting: 2);

        // Told again only after the look (how many looks follow, once the email has gone, is the run's own business).
        Assert.Equal(Enumerable.Repeat("deadline-reminder:3d@2027-01-01", Fast.MaxAttempts + 1), script.TimersFired.Select(d => d.Timer));
        Assert.True(script.TimersFired[Fast.MaxAttempts].At >= script.Checks[0], "told again before the look");
        Assert.Equal(["r1:message:staff-deadline-reminder:3d@2027-01-01"], script.Activities.Select(a => a.Id));
        await host.Client.TerminateInstanceAsync(id);
    }

    [Fact]
    public async Task AStepReportingAnEarlierStageThanOneSeenAlready_LetsGoOfNoTimer()
    {
        // Outcomes arrive in any order: a step whose commit came before the approval request reports the request still
        // discovering, with no timer; the approvers' reminder, which the later stage lists, keeps waiting.
        var now = TimeProvider.System.GetUtcNow();
        var script = new Script { SettleAfter = 99, At = Keeping(RequestStatus.AwaitingApproval, 1, 5, new PlannedTimer(TimerKind.ApprovalReminder, "1", now.AddHours(1))) };
        await using var host = await StartAsync(script);
        var id = await StartAtStageAsync(host, script, now);
        await IdleAsync(host, id, () => true);

        script.At = new RequestStage(RequestStatus.Discovering, VerificationRound: 1, ApprovalRound: 0, Version: 4);
        await host.Client.RaiseEventAsync(id, "source-answered", new HandedOverWork([new DeliveredWork("r1:message:manual-task:1", WorkItem.Message, now)], now));
        await IdleAsync(host, id, () => script.Runs.Count == 1);

        Assert.Equal(["approval-reminder:1"], (await StatusAsync(host, id)).Timers);
        Assert.Equal("reminder to the approvers", (await StatusAsync(host, id)).Next);
        await host.Client.TerminateInstanceAsync(id);
    }

    [Fact]
    public async Task LongRequest_StartsAFreshHistory_CarryingItsWaitingTimers()
    {
        var script = new Script { SettleAfter = 13 };
        await using var host = await StartAsync(script);
        var now = TimeProvider.System.GetUtcNow();
        List<DeliveredWork> work =
        [
            .. Enumerable.Range(1, 12).Select(i => new DeliveredWork("quick-" + i, "message", now)),
            new DeliveredWork("reminder", "export", now.AddSeconds(8)),
        ];

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(RequestOrchestrator.Name, new RequestRun("r1", work, Fast, TimeProvider.System.GetUtcNow()));
        var done = await WaitAsync(host, id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(13, script.Runs.Select(r => r.Id).Distinct().Count());
        Assert.Equal(13, script.Runs.Count);
        Assert.Equal(2, done.ReadCustomStatusAs<RequestRunStatus>()!.Generation);
    }

    [Fact]
    public async Task LongRequest_GoesOnToItsNextGeneration_WithoutWaitingForItsLaterTimers()
    {
        // The runtime ends a generation only once none of its timers is open: the overdue notice, an hour away here (weeks
        // in life), must not hold back the next generation, nor the reminder due in two seconds that it carries.
        var script = new Script { Status = "awaiting-approval" };
        await using var host = await StartAsync(script);
        var now = TimeProvider.System.GetUtcNow();
        List<DeliveredWork> work =
        [
            .. Enumerable.Range(1, 12).Select(i => new DeliveredWork("quick-" + i, "message", now)),
            new DeliveredWork("reminder", "export", now.AddSeconds(2)),
            new DeliveredWork("overdue", "export", now.AddHours(1)),
        ];

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(RequestOrchestrator.Name, new RequestRun("r1", work, Fast, now));
        await IdleAsync(host, id, () => script.Runs.Any(r => r.Id == "reminder"), waiting: 1);

        var status = (await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true))!;
        Assert.Equal(OrchestrationRuntimeStatus.Running, status.RuntimeStatus);
        Assert.Equal(2, status.ReadCustomStatusAs<RequestRunStatus>()!.Generation);
        Assert.Equal(13, script.Runs.Count);
        Assert.DoesNotContain(script.Runs, r => r.Id == "overdue");
        await host.Client.TerminateInstanceAsync(id);
    }

    [Fact]
    public async Task LongRequest_SetsTheTimersItKeeps_AgainInItsNextGeneration_WithoutWaitingForThem()
    {
        // Awaiting approval with twelve emails to send: the approvers' reminder (three seconds away) and the overdue
        // notice (an hour) are the run's own timers. The generation goes on to the next after its tenth step without
        // waiting for them, and the next sets them again from the stage it carries: the reminder fires there, once.
        var now = TimeProvider.System.GetUtcNow();
        var script = new Script
        {
            SettleAfter = 99,
            At = Keeping(RequestStatus.AwaitingApproval, 1, 4, new(TimerKind.ApprovalReminder, "1", now.AddSeconds(3)), new(TimerKind.Overdue, "@2027-01-01", now.AddHours(1))),
        };
        await using var host = await StartAsync(script);
        var id = await StartAtStageAsync(host, script, now, [.. Enumerable.Range(1, 12).Select(i => new DeliveredWork("quick-" + i, "message", now))]);

        await IdleAsync(host, id, () => script.TimersFired.Count == 1 && script.Runs.Count == 13, waiting: 1);

        var status = await StatusAsync(host, id);
        Assert.Equal(2, status.Generation);
        Assert.Equal(["overdue:@2027-01-01"], status.Timers);
        Assert.Equal([("approval-reminder:1", JourneySteps.RemindApprovers)], script.TimersFired.Select(t => (t.Timer, t.Activity)));
        Assert.True(script.TimersFired[0].At >= now.AddSeconds(3), "the reminder fired before it was due");
        await host.Client.TerminateInstanceAsync(id);
    }

    [Fact]
    public async Task StepWhoseGiveUpCannotRunEither_IsTakenAgainWhenALookListsItOpen()
    {
        // The store is down long enough for every try of the step and of its give-up to fail: the item is not known to be
        // done, so the request is looked at again after a pause (the overdue notice in an hour stays in hand), the look
        // lists it open, and it runs again once the store is back.
        var now = TimeProvider.System.GetUtcNow();
        var failures = 0;
        var script = new Script
        {
            Fail = id => id == "broken" && Interlocked.Increment(ref failures) <= Fast.MaxAttempts,
            GiveUpFailures = Fast.MaxAttempts,
            OpenFromStart = [new DeliveredWork("broken", "message", now)],
        };
        await using var host = await StartAsync(script);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(
            RequestOrchestrator.Name, new RequestRun("r1", [new DeliveredWork("broken", "message", now), new DeliveredWork("overdue", "export", now.AddHours(1))], Fast, now));

        await IdleAsync(host, id, () => script.Runs.Count(r => r.Id == "broken") > Fast.MaxAttempts);

        Assert.Equal(Fast.MaxAttempts + 1, script.Runs.Count(r => r.Id == "broken"));
        Assert.Empty(script.GivenUp);
        Assert.NotEmpty(script.Checks);
        Assert.Contains("broken", script.Done);
        await host.Client.TerminateInstanceAsync(id);
    }

    [Fact]
    public async Task AnnouncedCommitThatCannotBeRead_IsLookedForAgain_WhileATimerWaits()
    {
        // A decision announced its commit (the approval request it stored), but the store cannot be read when the
        // orchestration asks for it: the request is looked at again after a pause, though a reminder an hour away is in
        // hand, and the commit's work runs.
        var now = TimeProvider.System.GetUtcNow();
        var script = new Script { AwaitCommitFails = true, OpenFromStart = [new DeliveredWork("approval-request", "message", now)] };
        await using var host = await StartAsync(script);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(
            RequestOrchestrator.Name, new RequestRun("r1", [new DeliveredWork("reminder", "export", now.AddHours(1))], Fast, now) { CommitVersion = 7 });

        await IdleAsync(host, id, () => script.Runs.Any(r => r.Id == "approval-request"));

        Assert.Equal([7L], script.AwaitedCommits);
        Assert.Single(script.Checks);
        Assert.Equal(["approval-request"], script.Runs.Select(r => r.Id));
        await host.Client.TerminateInstanceAsync(id);
    }

    private static async Task<string?> RunAsync(DurableTaskTestHost host, IReadOnlyList<DeliveredWork> work, Script script)
    {
        script.SettleAfter ??= work.Count;
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(RequestOrchestrator.Name, new RequestRun("r1", work, Fast, TimeProvider.System.GetUtcNow()));
        var done = await WaitAsync(host, id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        return done.ReadOutputAs<string>();
    }

    private static async Task<OrchestrationMetadata> WaitAsync(DurableTaskTestHost host, string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            return await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // Where it stopped, for whoever reads the failure: its run status and the custom status naming its step.
            var stuck = await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
            throw new TimeoutException($"The orchestration did not end within 60 s: {stuck?.RuntimeStatus}, custom status {stuck?.SerializedCustomStatus}.");
        }
    }

    /// <summary>
    /// Waits until <paramref name="ran"/> holds and then the orchestration runs nothing, only <paramref name="waiting"/> timers waiting (the reminder's).
    /// A status read after a step ran is no older than the episode that scheduled it, so it counts that step until its end.
    /// </summary>
    private static async Task IdleAsync(DurableTaskTestHost host, string id, Func<bool> ran, int waiting = 1)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!ran())
        {
            await Task.Delay(20, timeout.Token);
        }

        for (var status = default(RequestRunStatus); status is not { Running: 0 } || status.Waiting != waiting;)
        {
            await Task.Delay(20, timeout.Token);
            status = (await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, timeout.Token))?.ReadCustomStatusAs<RequestRunStatus>();
        }
    }

    private static async Task<RequestRunStatus> StatusAsync(DurableTaskTestHost host, string id) =>
        (await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true))!.ReadCustomStatusAs<RequestRunStatus>()!;

    private static Task<DurableTaskTestHost> StartAsync(Script script) =>
        DurableTestHosts.StartAsync(registry =>
        {
            registry
                .AddOrchestrator<RequestOrchestrator>()
                .AddActivityFunc<WorkStep, WorkOutcome>(GiveUpWorkItemActivity.Name, (context, step) => script.GiveUpAsync(step))
                .AddActivityFunc<AnnouncedCommit, WorkOutcome>(AwaitCommitActivity.Name, (context, commit) => Task.FromResult(script.AwaitCommit(commit)))
                .AddActivityFunc<string, WorkOutcome>(CheckRequestActivity.Name, (context, requestId) => Task.FromResult(script.Check()))
                .AddActivityFunc<string, WorkOutcome>(EndRunActivity.Name, (context, requestId) => Task.FromResult(script.End()));

            // Each step runs under its journey name, and each kept timer under its own; the script records which.
            foreach (var name in JourneySteps.StepActivities)
            {
                registry.AddActivityFunc<WorkStep, WorkOutcome>(name, (context, step) => script.RunAsync(step, name));
            }

            foreach (var name in JourneySteps.TimerActivities)
            {
                registry.AddActivityFunc<PlannedTimerStep, WorkOutcome>(name, (context, step) => Task.FromResult(script.TimerFired(step, name)));
            }

            foreach (var name in JourneySteps.SourceStepActivities)
            {
                registry.AddActivityFunc<SourceStepRun, WorkOutcome>(name, (context, step) => Task.FromResult(script.RunStep(step, name)));
            }
        });

    /// <summary>Scripted activities: what each run does, and a record of the runs.</summary>
    private sealed class Script
    {
        private readonly ConcurrentDictionary<string, int> _done = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, DeliveredWork> _open = new(StringComparer.Ordinal);
        private int _notNow;
        private int _failed;

        /// <summary>The work each item's run commits (as a decision would): it is open from then until it has run.</summary>
        public IReadOnlyDictionary<string, DeliveredWork[]> Commits { get; init; } = new Dictionary<string, DeliveredWork[]>();

        public Func<string, bool> Fail { get; init; } = _ => false;

        /// <summary>The items and sources whose step the local task hub no longer runs, as it fails a step that kept stopping the program.</summary>
        public Func<string, bool> StopsTheProgram { get; init; } = _ => false;

        /// <summary>The items, and source steps (<c>{step}.{source}.{round}</c>), given up because their step kept stopping the program.</summary>
        public ConcurrentQueue<string> GivenUpStoppedQueue { get; } = new();

        public int NotNowTimes { get; init; }

        /// <summary>How many runs fail (a source down) and hand their item back for <see cref="RetryAfter"/>.</summary>
        public int FailedTimes { get; init; }

        public TimeSpan RetryAfter { get; init; }

        public Task? Hold { get; init; }

        /// <summary>The items <see cref="Hold"/> holds: all unless a test says otherwise.</summary>
        public Func<string, bool> HoldWhen { get; init; } = _ => true;

        public int? SettleAfter { get; set; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource BothStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Each run reports the request unsettled, as two runs finishing side by side each would.</summary>
        public bool StaleStanding { get; init; }

        public ConcurrentQueue<(string Id, DateTimeOffset At)> RunsQueue { get; } = new();

        public IReadOnlyList<(string Id, DateTimeOffset At)> Runs => [.. RunsQueue];

        public ConcurrentQueue<string> GivenUpQueue { get; } = new();

        public IReadOnlyList<string> GivenUp => [.. GivenUpQueue];

        /// <summary>Each step's item and the activity name it ran under.</summary>
        public ConcurrentQueue<(string Id, string Activity)> Activities { get; } = new();

        public async Task<WorkOutcome> RunAsync(WorkStep step, string activity)
        {
            Activities.Enqueue((step.ItemId, activity));
            RunsQueue.Enqueue((step.ItemId, TimeProvider.System.GetUtcNow()));
            Started.TrySetResult();
            if (RunsQueue.Count >= 2)
            {
                BothStarted.TrySetResult();
            }
            if (Hold is not null && HoldWhen(step.ItemId))
            {
                await Hold;
            }

            if (Fail(step.ItemId))
            {
                throw new InvalidOperationException("The source is down.");
            }

            if (StopsTheProgram(step.ItemId))
            {
                throw new StepStoppedTheProgramException("This step was in progress each of the 3 times the program stopped without finishing it.");
            }

            if (Interlocked.Increment(ref _failed) <= FailedTimes)
            {
                var at = TimeProvider.System.GetUtcNow();
                return new WorkOutcome(WorkResult.Failed, null, Settled: false, At: at, RetryAt: at + RetryAfter);
            }

            if (Interlocked.Increment(ref _notNow) <= NotNowTimes)
            {
                return new WorkOutcome(WorkResult.NotNow, null, Settled: false, At: TimeProvider.System.GetUtcNow());
            }

            var outcome = Finish(step.ItemId, WorkResult.Done);
            return StaleStanding ? outcome with { Settled = false } : outcome;
        }

        /// <summary>The request's status each step reports (kebab case): closed unless a test says otherwise.</summary>
        public string Status { get; set; } = "completed";

        /// <summary>Where the request stands on its journey, as each step reports it; none unless a test says so.</summary>
        public RequestStage? Stage { get; set; }

        /// <summary>Sets <see cref="Stage"/> and, with it, the <see cref="Status"/> steps report (the stage's, in kebab case).</summary>
        public RequestStage At
        {
            set
            {
                Stage = value;
                Status = Kebab.Of(value.Status);
            }
        }

        /// <summary>Each kept timer the request was told of (<c>{kind}:{tag}</c>), the activity it ran under, and when.</summary>
        public ConcurrentQueue<(string Timer, string Activity, DateTimeOffset At)> TimersFiredQueue { get; } = new();

        public IReadOnlyList<(string Timer, string Activity, DateTimeOffset At)> TimersFired => [.. TimersFiredQueue];

        /// <summary>How many tellings of a kept timer fail (the store unreachable) before one succeeds.</summary>
        public int TimerFiredFailures { get; init; }

        /// <summary>
        /// A kept timer fired: as the decider would, the first telling sends its email and the stage no longer lists the
        /// timer; a repeated one changes nothing.
        /// </summary>
        public WorkOutcome TimerFired(PlannedTimerStep step, string activity)
        {
            var timer = $"{step.Kind}:{step.Tag}";
            TimersFiredQueue.Enqueue((timer, activity, TimeProvider.System.GetUtcNow()));
            if (TimersFiredQueue.Count <= TimerFiredFailures)
            {
                throw new InvalidOperationException("The store cannot be reached.");
            }

            if (Stage is { } stage && stage.Timers.FirstOrDefault(t => Kebab.Of(t.Kind) == step.Kind && t.Tag == step.Tag) is { } acted)
            {
                Stage = stage with { Version = stage.Version + 1, Timers = [.. stage.Timers.Where(t => t != acted)] };
                var email = $"r1:message:staff-{step.Kind}:{step.Tag}";
                _open.TryAdd(email, new DeliveredWork(email, WorkItem.Message, TimeProvider.System.GetUtcNow()));
            }

            return Standing() with { Settled = false };
        }

        /// <summary>Each source step's attempt (<c>{step}.{source}.{round}</c>), the activity it ran under, its attempt's number, and when.</summary>
        public ConcurrentQueue<(string Step, string Activity, int Attempt, DateTimeOffset At)> StepRunsQueue { get; } = new();

        public IReadOnlyList<(string Step, string Activity, int Attempt, DateTimeOffset At)> StepRuns => [.. StepRunsQueue];

        /// <summary>How many attempts of each source's step fail (the source down), by source: each says when to try again (<see cref="RetryAfter"/>).</summary>
        public IReadOnlyDictionary<string, int> FailedAttempts { get; init; } = new Dictionary<string, int>();

        /// <summary>How many runs of a source step's activity fail (the store unreachable) before one succeeds.</summary>
        public int StepStoreFailures { get; init; }

        /// <summary>Where the request stands once no source step is left to run (the discovery's fan-in); the stage without them unless given.</summary>
        public RequestStage? AfterSteps { get; init; }

        private int _stepStoreTries;

        /// <summary>
        /// A source step ran: as the decider would, the stage no longer lists an answered step (once the last is answered,
        /// the request moves on); a step the stage does not list (answered already) changes nothing.
        /// </summary>
        public WorkOutcome RunStep(SourceStepRun run, string activity)
        {
            var pending = new PendingSourceStep(
                Kebab.TryParse<SourceStep>(run.Step, out var kind) ? kind : throw new ArgumentException("Not a source step.", nameof(run)), run.Source!, run.Round);
            StepRunsQueue.Enqueue((pending.Tag, activity, run.Attempt, TimeProvider.System.GetUtcNow()));
            RunsQueue.Enqueue((pending.IdFor("r1"), TimeProvider.System.GetUtcNow()));
            Activities.Enqueue((pending.IdFor("r1"), activity));
            if (Interlocked.Increment(ref _stepStoreTries) <= StepStoreFailures)
            {
                throw new InvalidOperationException("The store cannot be reached.");
            }

            if (StopsTheProgram(pending.Source) && !run.StoppedTheProgram)
            {
                throw new StepStoppedTheProgramException("This step was in progress each of the 3 times the program stopped without finishing it.");
            }

            if (run.StoppedTheProgram)
            {
                GivenUpStoppedQueue.Enqueue(pending.Tag);
            }

            if (run.Attempt <= FailedAttempts.GetValueOrDefault(pending.Source))
            {
                var at = TimeProvider.System.GetUtcNow();
                return new WorkOutcome(WorkResult.Failed, null, Settled: false, At: at, RetryAt: at + RetryAfter);
            }

            if (Stage is { } stage && stage.Steps.Contains(pending))
            {
                var left = stage.Steps.Where(s => s != pending).ToList();
                Stage = left.Count == 0 && AfterSteps is { } after
                    ? after with { Version = stage.Version + 1 }
                    : stage with { Version = stage.Version + 1, Steps = left };
                Status = Kebab.Of(Stage.Status);
            }

            return Finish(pending.IdFor("r1"), WorkResult.Done) with { Settled = false };
        }

        /// <summary>How many give-ups fail (the store unreachable) before one succeeds.</summary>
        public int GiveUpFailures { get; init; }

        private int _giveUpTries;

        /// <summary>Work open in the store from the start (committed before the run began): a look at the request lists it.</summary>
        public IReadOnlyList<DeliveredWork> OpenFromStart
        {
            init
            {
                foreach (var work in value)
                {
                    _open.TryAdd(work.Id, work);
                }
            }
        }

        /// <summary>The items done (their runs finished), as the store would have them.</summary>
        public IReadOnlyCollection<string> Done => [.. _done.Keys];

        /// <summary>Whether reading an announced commit fails (the store unreachable).</summary>
        public bool AwaitCommitFails { get; init; }

        public ConcurrentQueue<long> AwaitedCommitsQueue { get; } = new();

        public IReadOnlyList<long> AwaitedCommits => [.. AwaitedCommitsQueue];

        public WorkOutcome AwaitCommit(AnnouncedCommit commit)
        {
            AwaitedCommitsQueue.Enqueue(commit.Version);
            return AwaitCommitFails ? throw new InvalidOperationException("The store cannot be reached.") : Standing();
        }

        public Task<WorkOutcome> GiveUpAsync(WorkStep step)
        {
            if (Interlocked.Increment(ref _giveUpTries) <= GiveUpFailures)
            {
                throw new InvalidOperationException("The store cannot be reached.");
            }

            GivenUpQueue.Enqueue(step.ItemId);
            if (step.StoppedTheProgram)
            {
                GivenUpStoppedQueue.Enqueue(step.ItemId);
            }

            return Task.FromResult(Finish(step.ItemId, WorkResult.GaveUp));
        }

        /// <summary>How many looks at the request fail (its store unreachable) before one succeeds.</summary>
        public int CheckFailures { get; init; }

        public ConcurrentQueue<DateTimeOffset> ChecksQueue { get; } = new();

        public IReadOnlyList<DateTimeOffset> Checks => [.. ChecksQueue];

        public WorkOutcome Check()
        {
            ChecksQueue.Enqueue(TimeProvider.System.GetUtcNow());
            return ChecksQueue.Count <= CheckFailures ? throw new InvalidOperationException("The store cannot be reached.") : Standing();
        }

        public WorkOutcome Standing() => new(WorkResult.Done, Status, Settled: _done.Count >= (SettleAfter ?? 1), [.. _open.Values], At: TimeProvider.System.GetUtcNow(), Stage: Stage);

        /// <summary>Work committed (by a decision outside the orchestration) just before its first end step: that end finds it open.</summary>
        public DeliveredWork? CameInBeforeEnd { get; init; }

        public ConcurrentQueue<DateTimeOffset> EndsQueue { get; } = new();

        public IReadOnlyList<DateTimeOffset> Ends => [.. EndsQueue];

        /// <summary>The end step: settled (the run ended) unless work came in, which it hands back.</summary>
        public WorkOutcome End()
        {
            EndsQueue.Enqueue(TimeProvider.System.GetUtcNow());
            if (EndsQueue.Count == 1 && CameInBeforeEnd is { } came)
            {
                _open.TryAdd(came.Id, came);
                SettleAfter = (SettleAfter ?? 1) + 1;
                return new WorkOutcome(WorkResult.Done, Status, Settled: false, [.. _open.Values], At: TimeProvider.System.GetUtcNow());
            }

            return Standing();
        }

        /// <summary>The times the steps reported at their ends (the orchestration's clock from then on).</summary>
        public ConcurrentQueue<DateTimeOffset> Finished { get; } = new();

        private WorkOutcome Finish(string id, WorkResult result)
        {
            _done[id] = 1;
            _open.TryRemove(id, out _);
            foreach (var work in Commits.GetValueOrDefault(id) ?? [])
            {
                _open.TryAdd(work.Id, work);
            }

            var at = TimeProvider.System.GetUtcNow();
            Finished.Enqueue(at);
            return new WorkOutcome(result, Status, Settled: _done.Count >= (SettleAfter ?? 1), [.. _open.Values], At: at, Stage: Stage);
        }
    }
}
