using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DurableTask.Core;
using DurableTask.Core.History;

namespace DataRights.Host.Durable;

/// <summary>
/// The local task hub's backend, with a step that keeps stopping the program given up instead of run for ever. The
/// Azure Storage backend hands a step a dead process held out again once its visibility timeout has passed, with no
/// limit (DurableTask.AzureStorage 2.11.2 only logs such a message as poison): a step that kills its process every time
/// (the memory run out on a huge export, a connector's native crash) would stop the host at each restart, and every
/// other request with it. So each step handed out is noted in a file of its own under <paramref name="folder"/>, with the
/// run of the program that took it (a new id each start), and the note is removed once the step has finished. A step
/// handed out whose note names <paramref name="stopsAllowed"/> earlier runs of the program that never finished it is
/// not run: it fails at once (<see cref="StepStoppedTheProgramException"/>, log 3450), and its note goes. The
/// orchestration gives such a step up at once rather than trying it again: a piece of work is recorded as failed and
/// staff are told (they can ask for it again from the console, which runs it afresh); a source's step is recorded as the
/// source's failure. A note is named by a hash of the step (its orchestration, activity and input) and holds run ids
/// only. A folder that cannot be written leaves steps to run without it (log 3451).
/// </summary>
public sealed class StepCrashGuardService(IOrchestrationService inner, string folder, int stopsAllowed, ILogger logger) : DelegatingOrchestrationService(inner)
{
    /// <summary>This run of the program.</summary>
    private readonly string _run = Guid.NewGuid().ToString("N");

    private int _unavailable;

    /// <summary>Runs of the program that may stop while a step is in progress before the step is no longer run.</summary>
    public int StopsAllowed => stopsAllowed;

    public override async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            var workItem = await Inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
            if (workItem?.TaskMessage?.Event is not TaskScheduledEvent scheduled)
            {
                return workItem!;
            }

            var stops = Take(NoteFor(workItem.TaskMessage, scheduled));
            if (stops < stopsAllowed)
            {
                return workItem;
            }

            // Not run: the orchestration hears that it failed, and why.
            var instanceId = workItem.TaskMessage.OrchestrationInstance?.InstanceId ?? string.Empty;
            logger.StepStoppedTheProgram(scheduled.Name ?? string.Empty, instanceId, stops);
            var message = string.Create(
                CultureInfo.InvariantCulture,
                $"This step was in progress each of the {stops} times the program stopped without finishing it, so it was not run again.");
            var failed = new TaskFailedEvent(
                -1, scheduled.EventId, message, null, new FailureDetails(StepStoppedTheProgramException.ErrorType, message, null, null, isNonRetriable: true));
            await Inner.CompleteTaskActivityWorkItemAsync(workItem, new TaskMessage { Event = failed, OrchestrationInstance = workItem.TaskMessage.OrchestrationInstance });
        }
    }

    // The step ran to its end (or was put back) whether or not its completion could be stored: it stopped nothing.
    public override async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        try
        {
            await Inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
        }
        finally
        {
            Finished(workItem);
        }
    }

    public override async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        try
        {
            await Inner.AbandonTaskActivityWorkItemAsync(workItem);
        }
        finally
        {
            Finished(workItem);
        }
    }

    /// <summary>
    /// Notes the step as taken by this run, and says how many earlier runs of the program took it and never finished it;
    /// when that reaches the limit, the step is given up and its note goes.
    /// </summary>
    private int Take(string note)
    {
        try
        {
            var runs = File.Exists(note) ? File.ReadAllLines(note) : [];
            var stops = runs.Where(r => r.Length > 0 && r != _run).Distinct(StringComparer.Ordinal).Count();
            if (stops >= stopsAllowed)
            {
                File.Delete(note);
                return stops;
            }

            if (!runs.Contains(_run, StringComparer.Ordinal))
            {
                Hosting.OwnerOnlyFiles.Folder(folder);
                using var writer = new StreamWriter(Hosting.OwnerOnlyFiles.Create(note, FileMode.Append));
                writer.Write(_run + "\n");
            }

            return stops;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Unavailable(ex);
            return 0;
        }
    }

    /// <summary>A step finished (or was put back while the program runs): its note goes.</summary>
    private void Finished(TaskActivityWorkItem workItem)
    {
        if (workItem?.TaskMessage?.Event is not TaskScheduledEvent scheduled)
        {
            return;
        }

        var note = NoteFor(workItem.TaskMessage, scheduled);
        try
        {
            if (File.Exists(note))
            {
                File.Delete(note);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Unavailable(ex);
        }
    }

    private void Unavailable(Exception ex)
    {
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            logger.StepJournalUnavailable(folder, ex.GetType().Name);
        }
    }

    /// <summary>
    /// The note of a step: one per orchestration, activity and input (the same step handed out again, or run again by the
    /// orchestration with the same input, has the same note), named by a hash of them.
    /// </summary>
    private string NoteFor(TaskMessage message, TaskScheduledEvent scheduled)
    {
        var identity = string.Join('\n', message.OrchestrationInstance?.InstanceId ?? string.Empty, scheduled.Name ?? string.Empty, scheduled.Input ?? string.Empty);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
        return Path.Combine(folder, hash + ".step");
    }
}
