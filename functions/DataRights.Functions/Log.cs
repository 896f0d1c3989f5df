using Microsoft.Extensions.Logging;

namespace DataRights.Functions;

/// <summary>Log lines of the Function App (event ids 3400-3499); job names only.</summary>
internal static partial class Log
{
    [LoggerMessage(3400, LogLevel.Information, "Timer for job {Job} fired; an occurrence was due and ran: {Ran}")]
    public static partial void TimerFired(this ILogger logger, string job, bool ran);

    [LoggerMessage(3401, LogLevel.Information, "Deleted the Durable Task history of {Count} finished orchestration(s)")]
    public static partial void DurableHistoryPurged(this ILogger logger, int count);

    [LoggerMessage(3452, LogLevel.Error, "Step {Activity} of {WorkId} was in progress each of the {Stops} times this worker stopped without finishing it; it was not run again, and failed")]
    public static partial void StepStoppedTheWorker(this ILogger logger, string activity, string workId, int stops);

    [LoggerMessage(3460, LogLevel.Warning, "The notes of steps in progress could not be reached for a step {Activity} ({ExceptionType}); it runs without its note")]
    public static partial void StepNotesUnavailable(this ILogger logger, string activity, string exceptionType);
}
