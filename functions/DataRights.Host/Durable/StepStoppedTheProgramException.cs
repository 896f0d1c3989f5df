using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// The failure a step's activity ends in, without being run, when it was in progress each time the program stopped
/// without finishing it (<see cref="StepCrashGuardService"/>): run again, it would most likely stop the program again.
/// Its full name is the failure's type (<c>ErrorType</c>) in the orchestration's history, which is how the orchestration
/// tells it from a failure of the step itself and gives the step up at once.
/// </summary>
public sealed class StepStoppedTheProgramException : Exception
{
    public StepStoppedTheProgramException()
    {
    }

    public StepStoppedTheProgramException(string message)
        : base(message)
    {
    }

    public StepStoppedTheProgramException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The failure's type as the orchestration's history records it.</summary>
    public static string ErrorType { get; } = typeof(StepStoppedTheProgramException).FullName!;

    /// <summary>Whether a step failed this way (<paramref name="failure"/>, as the orchestration sees it).</summary>
    public static bool Is(TaskFailureDetails? failure) => string.Equals(failure?.ErrorType, ErrorType, StringComparison.Ordinal);

    /// <summary>
    /// For a retry policy's <see cref="RetryPolicy.HandleFailure"/>: a step that failed this way is not tried again (run, it
    /// would stop the program again); any other failure is.
    /// </summary>
    public static bool MayTryAgain(TaskFailureDetails failure) => !Is(failure);
}
