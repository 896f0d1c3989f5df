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
}
