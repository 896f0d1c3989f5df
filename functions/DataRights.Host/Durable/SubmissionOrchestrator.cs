using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// The first step of every public request: its submission taken in (<see cref="TakeInActivity"/>), once the person has
/// been answered. Tried again after a growing pause while it cannot run (the store unreachable); a submission still not
/// taken in after the last try stays kept, and the hourly workflow check takes it in (<see cref="SubmissionTakeIns"/>). One
/// whose taking in kept stopping the program (<see cref="StepStoppedTheProgramException"/>) is left to that check at once,
/// which sets it aside without running it (<see cref="KeptStoppingTheProgram"/>).
/// </summary>
[DurableTask(Name)]
public sealed class SubmissionOrchestrator : TaskOrchestrator<SubmissionRun, string>
{
    public const string Name = "TakeInSubmission";

    /// <summary>The outcome when every try failed: the workflow check takes the submission in.</summary>
    public const string LeftForTheCheck = "left for the workflow check";

    /// <summary>The outcome when its taking in kept stopping the program: the workflow check sets the submission aside, not running it again.</summary>
    public const string KeptStoppingTheProgram = "left for the workflow check to set aside: its taking in kept stopping the program";

    /// <summary>The orchestration instance that takes in <paramref name="submissionId"/>.</summary>
    public static string InstanceId(string submissionId) => "submission-" + submissionId;

    public override async Task<string> RunAsync(TaskOrchestrationContext context, SubmissionRun input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var now = input.At;
        for (var tries = 1; ; tries++)
        {
            try
            {
                return await context.CallActivityAsync<string>(TakeInActivity.Name, input.SubmissionId);
            }
            catch (TaskFailedException failure) when (StepStoppedTheProgramException.Is(failure.FailureDetails))
            {
                return KeptStoppingTheProgram;
            }
            catch (TaskFailedException) when (tries < input.MaxAttempts)
            {
                // Doubling pauses, on the program's clock (deterministic: from the input, never the machine's clock).
                now += RequestOrchestrator.PauseAfter(tries, input.FirstRetry, input.MaxRetry);
                await context.CreateTimer(now.UtcDateTime, CancellationToken.None);
            }
            catch (TaskFailedException)
            {
                return LeftForTheCheck;
            }
        }
    }
}
