using System.Text.Json;
using DataRights.Core.Ports;
using DataRights.Host.Durable;
using Microsoft.Extensions.Logging;

namespace DataRights.Functions.Durable;

/// <summary>
/// On Azure the Functions host's Durable extension hands the activities out, and DurableTask.AzureStorage 2.11 delivers a
/// step a dead worker held again after each restart, with no limit, to whichever instance asks first. So the Function App
/// notes each step of a request or a purge it runs (<see cref="IStepNotes"/>, by the activity's name and input) in the
/// store, where every instance sees them (<c>AzureTableStepNotes</c>), as the local task hub notes its steps for the
/// stand-alone host: a step in progress each of <see cref="DurableOptions.StopsBeforeGivingUp"/> times a worker (on any
/// instance) stopped without finishing it is not run but fails (<see cref="StepStoppedTheProgramException"/>, log 3452),
/// which the orchestration gives up at once (a request's work or source step is recorded as failed; a purge's source fails
/// for the run). Notes that cannot be reached leave the step to run unnoted (log 3460).
/// </summary>
public sealed class ActivityStepGuard(IStepNotes notes, ILogger<ActivityStepGuard> logger)
{
    /// <summary>
    /// Runs the step <paramref name="activity"/> of <paramref name="workId"/> (a request's or a purge run's id, for the log)
    /// with <paramref name="input"/>, unless it keeps stopping the worker.
    /// </summary>
    public async Task<T> RunAsync<TInput, T>(string activity, string? workId, TInput input, Func<Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var step = activity + "\n" + JsonSerializer.Serialize(input);
        int stops;
        try
        {
            stops = await notes.TakeAsync(step, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A store that cannot be reached must not stop the work: the step runs, as it would without the guard.
            logger.StepNotesUnavailable(activity, ex.GetType().Name);
            return await run();
        }

        if (stops >= notes.StopsAllowed)
        {
            // The failure goes back to the orchestration as this function's result: the note goes with it.
            logger.StepStoppedTheWorker(activity, workId ?? string.Empty, stops);
            await LetGoAsync(activity, step);
            throw new StepStoppedTheProgramException(StepNotes.GivenUpMessage(stops));
        }

        try
        {
            return await run();
        }
        finally
        {
            await LetGoAsync(activity, step);
        }
    }

    private async Task LetGoAsync(string activity, string step)
    {
        try
        {
            await notes.FinishedAsync(step, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The note stays: a later delivery of the very same step would count one stop too many, and no more.
            logger.StepNotesUnavailable(activity, ex.GetType().Name);
        }
    }
}
