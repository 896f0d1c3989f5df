using System.Globalization;
using DataRights.Core.Email;
using DataRights.Core.Ports;
using DataRights.Host.Email;
using DataRights.Host.Requests;
using DataRights.Host.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// Hands submissions to their taking in: each one read from the submission queue is kept and its orchestration
/// (<see cref="SubmissionOrchestrator"/>) started (<see cref="HandOverAsync"/>), through the flow's Durable client (the
/// Function App's binding) or the host's own; and, from the hourly workflow check, any submission still kept
/// <see cref="LeftOverAfter"/> after it arrived with no taking in under way (every try failed, or the process stopped
/// between keeping it and starting its orchestration) taken in there, and any left on the poison queue handed over. The
/// check notes each taking in it runs (<see cref="IStepNotes"/>, as the task hub notes its steps; on the Function App in
/// the store every instance shares): a submission whose taking
/// in was in progress each of <see cref="DurableOptions.StopsBeforeGivingUp"/> times the program stopped is set aside,
/// kept but not taken in (marked so in the inbox, where every instance and the console see it), logged at each check
/// (3454) and emailed to staff once a day, so that it no longer stops the program every hour. One whose taking in still
/// fails at every try a day after it arrived (<see cref="SetAsideAfterFailingFor"/>) is set aside the same way (3457),
/// so that it does not wait unseen while the person's deadline runs. Staff see it in the
/// console, where they can have it tried again (a new run of its taking in starts at once, its tries and stops counted
/// afresh; should the task hub not start it then, the next check does) or remove it once they have handled it by hand.
/// </summary>
public sealed class SubmissionTakeIns(
    IServiceProvider services,
    ISubmissionInbox inbox,
    SubmissionQueue queue,
    IOptions<WorkflowOptions> workflow,
    TimeProvider time,
    ILogger<SubmissionTakeIns> logger,
    IStepNotes? notes = null)
{
    /// <summary>How long a submission may stay kept before the workflow check takes it in itself.</summary>
    public static readonly TimeSpan LeftOverAfter = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long after its arrival a submission whose taking in still fails at every try is set aside for staff: by then
    /// its orchestration's tries and a day of hourly checks have failed, while the person's deadline runs.
    /// </summary>
    public static readonly TimeSpan SetAsideAfterFailingFor = TimeSpan.FromDays(1);

    /// <summary>How many left-over submissions one check takes in.</summary>
    private const int PerCheck = 500;

    /// <summary>
    /// Keeps a submission read from the submission queue and starts its taking in; returns what it did, in words without
    /// personal data. Run again (the message read twice) it changes nothing: a submission whose orchestration exists was
    /// handed over already. Throws when it could not (the message is read again).
    /// </summary>
    public async Task<string> HandOverAsync(ReceivedSubmission received, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(received);
        var client = Client();
        if (await client.GetInstanceAsync(SubmissionOrchestrator.InstanceId(received.Id), getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return "already handed over";
        }

        await inbox.AddAsync(received, cancellationToken);
        await StartAsync(received.Id, cancellationToken);
        return "handed over";
    }

    /// <summary>
    /// Hands over the submissions left on the poison queue (their message failed every try); returns how many. One that
    /// fails again stays there for the next check; one that is not a submission is removed, as nothing can take it in.
    /// </summary>
    public async Task<int> TakeInPoisonedAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        using var scope = DurableClientScope.Use(client);
        var handed = 0;
        for (var batch = 0; batch < PerCheck / 32; batch++)
        {
            var messages = await queue.ReceiveAsync(poison: true, 32, TimeSpan.FromMinutes(5), cancellationToken);
            if (messages.Length == 0)
            {
                break;
            }

            foreach (var message in messages)
            {
                if (SubmissionQueue.Read(message.Body.ToString()) is not { } received)
                {
                    logger.SubmissionPoisonLeft(message.MessageId, "not a submission: removed");
                    await queue.DeleteAsync(poison: true, message, cancellationToken);
                    continue;
                }

                try
                {
                    await HandOverAsync(received, cancellationToken);
                    await queue.DeleteAsync(poison: true, message, cancellationToken);
                    logger.SubmissionFromPoison(received.Id);
                    handed++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    logger.SubmissionPoisonLeft(message.MessageId, ex.GetType().Name);
                }
            }
        }

        return handed;
    }

    /// <summary>
    /// Starts the taking in of the kept submission <paramref name="submissionId"/>; throws
    /// <see cref="OrchestrationUnavailableException"/> when the task hub cannot start it.
    /// </summary>
    public async Task StartAsync(string submissionId, CancellationToken cancellationToken)
    {
        var client = Client();
        var o = workflow.Value;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                SubmissionOrchestrator.Name,
                new SubmissionRun(submissionId, o.MaxAttempts, o.RetryBaseDelay, o.RetryMaxDelay, time.GetUtcNow()),
                new StartOrchestrationOptions(SubmissionOrchestrator.InstanceId(submissionId)),
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new OrchestrationUnavailableException("The task hub did not start the submission's taking in; nothing was kept.", ex);
        }
    }

    /// <summary>
    /// Staff asked for the set-aside submission <paramref name="submissionId"/> to be tried again (the fault fixed, they
    /// say), and it is marked so: starts a new run of its taking in on the task hub now, its tries and stops counted
    /// afresh, through the flow's Durable client. True when started; false when it is no longer kept, or a run of its
    /// taking in is under way already. Throws when the task hub cannot start it: the mark off, the hourly check then
    /// takes it in as any submission left over; the mark still on (the store unreachable), the check starts it.
    /// </summary>
    public async Task<bool> StartAgainAsync(string submissionId, CancellationToken cancellationToken)
    {
        var instance = await Client().GetInstanceAsync(SubmissionOrchestrator.InstanceId(submissionId), getInputsAndOutputs: false, cancellationToken);
        return instance?.RuntimeStatus is not (OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running)
            && await StartNotRunningAgainAsync(submissionId, cancellationToken);
    }

    /// <summary><see cref="StartAgainAsync"/> for a submission whose taking in is known not to be under way.</summary>
    private async Task<bool> StartNotRunningAgainAsync(string submissionId, CancellationToken cancellationToken)
    {
        if (notes is not null)
        {
            await notes.FinishedAsync(StepOf(submissionId), cancellationToken);
        }

        if (!await inbox.MarkAsync(submissionId, null, cancellationToken))
        {
            return false;
        }

        await StartAsync(submissionId, cancellationToken);
        logger.SubmissionTriedAgain(submissionId);
        return true;
    }

    /// <summary>Sets <paramref name="submission"/> aside (<paramref name="aside"/>) and tells staff; a failure to mark it is logged, and the next check tries again.</summary>
    private async Task SetAsideAsync(ReceivedSubmission submission, SubmissionSetAside aside, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            if (!await inbox.MarkAsync(submission.Id, aside, cancellationToken))
            {
                return;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.SubmissionTakeInFailed(submission.Id, ex.GetType().Name);
            return;
        }

        LogSetAside(submission, aside, now);
        await AlertStaffAsync(submission, aside, now, cancellationToken);
    }

    private void LogSetAside(ReceivedSubmission submission, SubmissionSetAside aside, DateTimeOffset now)
    {
        if (aside.Failure is { } failure)
        {
            logger.SubmissionSetAsideFailing(submission.Id, (int)(now - submission.ReceivedAt).TotalHours, failure);
        }
        else
        {
            logger.SubmissionSetAside(submission.Id, aside.Stops);
        }
    }

    /// <summary>
    /// Emails staff that <paramref name="submission"/> is set aside: once a day while it stays so (the message's id names
    /// the day, so the hourly checks of one day send it once). A failure is logged and left to the next check.
    /// </summary>
    private async Task AlertStaffAsync(ReceivedSubmission submission, SubmissionSetAside setAside, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var messageId = string.Create(CultureInfo.InvariantCulture, $"{submission.Id}:set-aside:{now:yyyyMMdd}");
        try
        {
            var message = services.GetRequiredService<MessageComposer>().ComposeSubmissionSetAside(messageId, submission, setAside);
            await services.GetRequiredService<IEmailSender>().SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.SubmissionSetAsideAlertFailed(submission.Id, ex.GetType().Name);
        }
    }

    /// <summary>The identity the check's taking in of <paramref name="submissionId"/> is noted by (<see cref="IStepNotes"/>).</summary>
    public static string StepOf(string submissionId) => "workflow-check\n" + TakeInActivity.Name + "\n" + submissionId;

    private DurableTaskClient Client() => DurableClientScope.Current ?? services.GetService<DurableTaskClient>()
        ?? throw new OrchestrationUnavailableException("No Durable client in this flow to start the submission's taking in.");

    /// <summary>
    /// Takes in the submissions kept for longer than <see cref="LeftOverAfter"/> whose orchestration is not running (one
    /// still trying is left to it); returns how many were taken in. One that fails is logged and left for the next check.
    /// </summary>
    public async Task<int> TakeInLeftOverAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var scope = DurableClientScope.Use(client);
        var now = time.GetUtcNow();
        var taken = 0;
        foreach (var submission in await inbox.ListAsync(now - LeftOverAfter, PerCheck, cancellationToken))
        {
            try
            {
                var instance = await client.GetInstanceAsync(SubmissionOrchestrator.InstanceId(submission.Id), getInputsAndOutputs: true, cancellationToken);
                if (instance?.RuntimeStatus is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running)
                {
                    continue;
                }

                var step = StepOf(submission.Id);
                if (submission.SetAside is { TryAgain: false } setAside)
                {
                    // Set aside already, by this instance or another: staff are reminded once a day, and it is not run.
                    LogSetAside(submission, setAside, now);
                    await AlertStaffAsync(submission, setAside, now, cancellationToken);
                    continue;
                }

                if (submission.SetAside is { TryAgain: true })
                {
                    // Staff asked for it to be tried again and it could not be started then: started now (not running, as read above).
                    await StartNotRunningAgainAsync(submission.Id, cancellationToken);
                    continue;
                }

                var allowed = notes?.StopsAllowed ?? new DurableOptions().StopsBeforeGivingUp;
                var stops = instance is { RuntimeStatus: OrchestrationRuntimeStatus.Completed } && instance.ReadOutputAs<string>() == SubmissionOrchestrator.KeptStoppingTheProgram
                    ? allowed
                    : notes is null ? (int?)null : await notes.TakeAsync(step, cancellationToken);
                if (stops is { } counted && counted >= allowed)
                {
                    // Its taking in kept stopping the program, on the task hub or at this check: set aside, marked in the
                    // store where every instance and the console see it, so it stops the program no more.
                    await SetAsideAsync(submission, new SubmissionSetAside(now, counted, TryAgain: false), now, cancellationToken);
                    continue;
                }

                logger.SubmissionLeftOver(submission.Id, (int)(now - submission.ReceivedAt).TotalMinutes);
                try
                {
                    await using var takeIn = services.CreateAsyncScope();
                    await takeIn.ServiceProvider.GetRequiredService<IntakeService>().TakeInAsync(submission.Id, cancellationToken);
                }
                finally
                {
                    if (notes is not null)
                    {
                        await notes.FinishedAsync(step, CancellationToken.None);
                    }
                }

                taken++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.SubmissionTakeInFailed(submission.Id, ex.GetType().Name);
                if (submission.SetAside is not { TryAgain: false } && now - submission.ReceivedAt >= SetAsideAfterFailingFor)
                {
                    await SetAsideAsync(submission, new SubmissionSetAside(now, 0, TryAgain: false, ex.GetType().Name), now, cancellationToken);
                }
            }
        }

        return taken;
    }
}
