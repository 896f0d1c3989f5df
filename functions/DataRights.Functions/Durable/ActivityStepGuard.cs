using System.Text.Json;
using DataRights.Host.Durable;
using DataRights.Host.Hosting;
using Microsoft.Extensions.Logging;

namespace DataRights.Functions.Durable;

/// <summary>
/// On Azure the Functions host's Durable extension hands the activities out, and DurableTask.AzureStorage 2.11 delivers a
/// step a dead worker held again after each restart, with no limit. So the Function App notes each step of a request or
/// a purge it runs
/// (<see cref="StepNotes"/>, on the instance's own disk, by the activity's name and input), as the local task hub does
/// for the stand-alone host: a step in progress each of <see cref="DurableOptions.StopsBeforeGivingUp"/> times this
/// worker stopped without finishing it is not run but fails (<see cref="StepStoppedTheProgramException"/>, log 3452),
/// which the orchestration gives up at once (a request's work or source step is recorded as failed; a purge's source fails
/// for the run). A step delivered to another instance is counted there: with several
/// instances it takes up to that many stops on each.
/// </summary>
public sealed class ActivityStepGuard(StepNotes notes, ILogger<ActivityStepGuard> logger)
{
    /// <summary>Where the notes live: the instance's temporary folder (local to it, writable under Run From Package), per task hub.</summary>
    public static string NotesFolder(DurableOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = OwnerOnlyFiles.Folder(Path.Combine(Path.GetTempPath(), "datarights"));
        return OwnerOnlyFiles.Folder(Path.Combine(OwnerOnlyFiles.Folder(Path.Combine(root, options.HubName)), "steps-in-progress"));
    }

    /// <summary>
    /// Runs the step <paramref name="activity"/> of <paramref name="workId"/> (a request's or a purge run's id, for the log)
    /// with <paramref name="input"/>, unless it keeps stopping the worker.
    /// </summary>
    public async Task<T> RunAsync<TInput, T>(string activity, string? workId, TInput input, Func<Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var step = activity + "\n" + JsonSerializer.Serialize(input);
        var stops = notes.Take(step);
        if (notes.GivesUp(stops))
        {
            // The failure goes back to the orchestration as this function's result: the note goes with it.
            logger.StepStoppedTheWorker(activity, workId ?? string.Empty, stops);
            notes.Finished(step);
            throw new StepStoppedTheProgramException(StepNotes.GivenUpMessage(stops));
        }

        try
        {
            return await run();
        }
        finally
        {
            notes.Finished(step);
        }
    }
}
