namespace DataRights.Host;

/// <summary>Log lines of the request orchestrations, their announcements and the local task hub (event ids 3400-3499); ids, kinds and counts only.</summary>
internal static partial class Log
{
    [LoggerMessage(3402, LogLevel.Warning, "Work item {WorkItemId} ({Kind}) failed on attempt {Attempt} ({ErrorType}); it is retried in {DelaySeconds} s")]
    public static partial void WorkAttemptFailed(this ILogger logger, string workItemId, string kind, int attempt, string errorType, int delaySeconds);

    [LoggerMessage(3410, LogLevel.Information, "Local task hub {HubName} serving on {Address} over {Backend}")]
    public static partial void LocalTaskHubReady(this ILogger logger, string hubName, string address, string backend);

    [LoggerMessage(3413, LogLevel.Warning, "The local task hub's storage backend failed as it stopped ({ExceptionType}); its loops stop with the process, and what is unfinished stays in storage")]
    public static partial void LocalTaskHubStopFailed(this ILogger logger, string exceptionType);

    [LoggerMessage(3414, LogLevel.Information, "The local task hub drained in {Milliseconds} ms, before the worker stopped: the {InHand} step(s) in hand at the stop finished")]
    public static partial void LocalTaskHubDrained(this ILogger logger, int milliseconds, int inHand);

    [LoggerMessage(3415, LogLevel.Warning, "The local task hub stopped with {InHand} step(s) still running after {Seconds} s; they come back after the visibility timeout and run again")]
    public static partial void LocalTaskHubDrainTimedOut(this ILogger logger, int inHand, int seconds);

    [LoggerMessage(3411, LogLevel.Warning, "Fetching an activity message from the local task hub failed ({ErrorType}); it is fetched again")]
    public static partial void ActivityFetchFailed(this ILogger logger, string errorType);

    [LoggerMessage(3412, LogLevel.Warning, "An activity message that waited for a worker could not keep its lock ({ErrorType}); it was let go and comes back from the queue")]
    public static partial void ActivityLockRenewalFailed(this ILogger logger, string errorType);

    [LoggerMessage(3420, LogLevel.Warning, "A request orchestration has been Pending longer than a start takes; a commit was announced to it by event")]
    public static partial void AnnouncedToPendingInstance(this ILogger logger);

    [LoggerMessage(3426, LogLevel.Information, "A request orchestration was started by another caller at the same moment; the commit is announced to that one")]
    public static partial void OrchestrationStartRaced(this ILogger logger);

    [LoggerMessage(3421, LogLevel.Warning, "A decision could not be announced to its request's orchestration ({ErrorType}); it was not saved, and its caller was told to try again")]
    public static partial void CommitNotAnnounced(this ILogger logger, string errorType);

    [LoggerMessage(3422, LogLevel.Warning, "An announced commit did not land within {Seconds} s; its orchestration took no work from it (a commit landing later is announced again by its decider)")]
    public static partial void AnnouncedCommitMissing(this ILogger logger, int seconds);

    [LoggerMessage(3424, LogLevel.Warning, "A commit landed {Seconds} s after it was announced, later than its orchestration waits for it; it is announced again")]
    public static partial void AnnouncedCommitLate(this ILogger logger, int seconds);

    [LoggerMessage(3425, LogLevel.Warning, "A request's orchestration had ended but was still running {Seconds} s later; the decision was not saved, and its caller was told to try again")]
    public static partial void EndedRunStillRunning(this ILogger logger, int seconds);

    [LoggerMessage(3430, LogLevel.Warning, "Request {RequestId} was open but its workflow was {Found}; it was recorded on the request and its workflow started again")]
    public static partial void WorkflowRestarted(this ILogger logger, string requestId, string found);

    [LoggerMessage(3431, LogLevel.Warning, "The workflow check could not look at or restart request {RequestId}'s workflow ({ErrorType}); the next check tries again")]
    public static partial void WorkflowCheckFailed(this ILogger logger, string requestId, string errorType);

    [LoggerMessage(3432, LogLevel.Information, "The workflow check looked at {Count} open request(s): {Restarted} workflow(s) started again, {Failed} look-up(s) failed")]
    public static partial void WorkflowCheckDone(this ILogger logger, int count, int restarted, int failed);

    [LoggerMessage(3433, LogLevel.Error, "Request {RequestId} is open but its workflow was {Found} again after {Restarts} restart(s); it is left stopped for now and started again later (a fault a restart cannot mend needs a fix deployed)")]
    public static partial void WorkflowRestartHeld(this ILogger logger, string requestId, string found, int restarts);

    [LoggerMessage(3434, LogLevel.Warning, "Request {RequestId}: staff were emailed that its workflow keeps stopping ({Restarts} restart(s))")]
    public static partial void WorkflowStoppedAlertSent(this ILogger logger, string requestId, int restarts);

    [LoggerMessage(3435, LogLevel.Error, "Request {RequestId}: the email telling staff its workflow keeps stopping could not be sent ({ErrorType}); the next check tries again")]
    public static partial void WorkflowStoppedAlertFailed(this ILogger logger, string requestId, string errorType);

    [LoggerMessage(3436, LogLevel.Warning, "The local task hub could not give back to storage a step fetched as the host drained ({ExceptionType}); it comes back once its visibility timeout has passed")]
    public static partial void LocalTaskHubGiveBackFailed(this ILogger logger, string exceptionType);

    [LoggerMessage(3437, LogLevel.Error, "The workflow check could not read its list of {Listing} ({ExceptionType}); the other list was still checked, and the next check reads it again")]
    public static partial void WorkflowCheckListingFailed(this ILogger logger, string listing, string exceptionType);

    [LoggerMessage(3438, LogLevel.Information, "Submission {SubmissionId} taken in: {Outcome}")]
    public static partial void SubmissionTakenIn(this ILogger logger, string submissionId, string outcome);

    [LoggerMessage(3439, LogLevel.Warning, "Submission {SubmissionId} could not be put on the submission queue ({ExceptionType}); it was not kept, and its sender was told to try again")]
    public static partial void SubmissionNotHandedOver(this ILogger logger, string submissionId, string exceptionType);

    [LoggerMessage(3440, LogLevel.Warning, "Submission {SubmissionId} was still not taken in after {Minutes} min; the workflow check takes it in")]
    public static partial void SubmissionLeftOver(this ILogger logger, string submissionId, int minutes);

    [LoggerMessage(3441, LogLevel.Error, "Submission {SubmissionId} could not be taken in ({ExceptionType}); it stays kept, and the next workflow check takes it in")]
    public static partial void SubmissionTakeInFailed(this ILogger logger, string submissionId, string exceptionType);

    [LoggerMessage(3442, LogLevel.Warning, "Submission {SubmissionId} could not be kept from the submission queue on try {Try} ({ExceptionType}); it stays queued and is read again")]
    public static partial void SubmissionHandOverFailed(this ILogger logger, string submissionId, long @try, string exceptionType);

    [LoggerMessage(3443, LogLevel.Error, "A submission queue message ({MessageId}) failed {Tries} time(s) or is not a submission; it was moved to the poison queue, which the hourly workflow check empties")]
    public static partial void SubmissionPoisoned(this ILogger logger, string messageId, long tries);

    [LoggerMessage(3444, LogLevel.Warning, "The workflow check kept submission {SubmissionId} from the poison queue and started its taking in")]
    public static partial void SubmissionFromPoison(this ILogger logger, string submissionId);

    [LoggerMessage(3445, LogLevel.Error, "The workflow check could not keep a poison-queue message ({MessageId}: {Reason}); it stays there for the next check")]
    public static partial void SubmissionPoisonLeft(this ILogger logger, string messageId, string reason);

    [LoggerMessage(3446, LogLevel.Warning, "The submission queue could not be read ({ExceptionType}); reading again in {Seconds} s")]
    public static partial void SubmissionQueueUnreadable(this ILogger logger, string exceptionType, int seconds);

    [LoggerMessage(3447, LogLevel.Warning, "Orchestration {InstanceId} was sent the {What} again after it had taken it in (a message delivered again after its visibility timeout); the repeat was left out")]
    public static partial void RepeatedMessageLeftOut(this ILogger logger, string instanceId, string what);

    [LoggerMessage(3448, LogLevel.Warning, "Source step {StepId} ({Step}) failed on attempt {Attempt} ({ErrorType}); it is tried again in {DelaySeconds} s")]
    public static partial void SourceStepAttemptFailed(this ILogger logger, string stepId, string step, int attempt, string errorType, int delaySeconds);

    [LoggerMessage(3449, LogLevel.Information, "Work item {WorkItemId} ({Kind}) is being carried out by another run of its step (its email held until {HeldUntil:O}); asked again then")]
    public static partial void WorkHeldElsewhere(this ILogger logger, string workItemId, string kind, DateTimeOffset heldUntil);

    [LoggerMessage(3450, LogLevel.Error, "Step {Activity} of orchestration {InstanceId} was in progress each of the {Stops} times the program stopped without finishing it; it was not run again, and failed")]
    public static partial void StepStoppedTheProgram(this ILogger logger, string activity, string instanceId, int stops);

    [LoggerMessage(3451, LogLevel.Warning, "The record of steps in progress (under {Folder}) could not be kept ({ExceptionType}); steps run without it")]
    public static partial void StepJournalUnavailable(this ILogger logger, string folder, string exceptionType);

    [LoggerMessage(3454, LogLevel.Error, "Submission {SubmissionId} is set aside, kept but not taken in: its taking in was in progress each of the {Stops} times the program stopped without finishing it. The privacy team is emailed once a day; the console's page of requests set aside lets them have it tried again or remove it once handled by hand")]
    public static partial void SubmissionSetAside(this ILogger logger, string submissionId, int stops);

    [LoggerMessage(3457, LogLevel.Error, "Submission {SubmissionId} is set aside, kept but not taken in: taking it in has failed at every try for {Hours} hours ({ExceptionType}). The privacy team is emailed once a day; the console's page of requests set aside lets them have it tried again or remove it once handled by hand")]
    public static partial void SubmissionSetAsideFailing(this ILogger logger, string submissionId, int hours, string exceptionType);

    [LoggerMessage(3455, LogLevel.Warning, "Submission {SubmissionId}, set aside, is tried again, as staff asked; its stops are counted afresh")]
    public static partial void SubmissionTriedAgain(this ILogger logger, string submissionId);

    [LoggerMessage(3456, LogLevel.Warning, "The alert that submission {SubmissionId} is set aside could not be sent ({ExceptionType}); the next check tries again")]
    public static partial void SubmissionSetAsideAlertFailed(this ILogger logger, string submissionId, string exceptionType);

    [LoggerMessage(3453, LogLevel.Information, "The host stopped in order with {Steps} step(s) still in progress; this stop is not counted against them")]
    public static partial void StepsCutOffByTheStop(this ILogger logger, int steps);

    [LoggerMessage(3461, LogLevel.Information, "The workflow check dropped {Notes} note(s) of steps no worker had taken for {Days} days (left by workers that stopped holding steps never delivered again)")]
    public static partial void StaleStepNotesDropped(this ILogger logger, int notes, int days);
}
