namespace DataRights.Host.StaffConsole;

/// <summary>What the console logs: never names, emails or anything a person typed.</summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(EventId = 9100, Level = LogLevel.Information, Message = "Staff signed in to the console with the development sign-in as {Role}")]
    public static partial void DevSignedIn(this ILogger logger, string role);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Staff signed out of the console")]
    public static partial void SignedOut(this ILogger logger);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Staff {Action} on request {RequestId} from the console: {Outcome}")]
    public static partial void ConsoleAction(this ILogger logger, string action, string requestId, string outcome);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information, Message = "Staff read the evidence pack of request {RequestId} as {Format}")]
    public static partial void EvidencePackRead(this ILogger logger, string requestId, string format);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Information, Message = "Staff read the copy of an email sent about request {RequestId}")]
    public static partial void EmailCopyRead(this ILogger logger, string requestId);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Information, Message = "Staff asked from the console for submission {SubmissionId}, set aside, to be tried again")]
    public static partial void SetAsideTriedAgain(this ILogger logger, string submissionId);

    [LoggerMessage(EventId = 9106, Level = LogLevel.Warning, Message = "Staff removed submission {SubmissionId}, set aside, from the console, having handled it by hand")]
    public static partial void SetAsideRemoved(this ILogger logger, string submissionId);

    [LoggerMessage(EventId = 9107, Level = LogLevel.Warning, Message = "Submission {SubmissionId}, set aside, could not be tried again at once ({ExceptionType}); the next hourly check starts it")]
    public static partial void SetAsideNotStartedNow(this ILogger logger, string submissionId, string exceptionType);

    [LoggerMessage(EventId = 9108, Level = LogLevel.Warning, Message = "Submission {SubmissionId}, set aside and removed, keeps its note of the stops its taking in made ({ExceptionType}); the note names no one and changes nothing")]
    public static partial void SetAsideNoteNotRemoved(this ILogger logger, string submissionId, string exceptionType);
}
