namespace DataRights.Host.Workflow;

/// <summary>
/// A decision with work could not be announced to its request's orchestration (the task hub refused, or did not answer
/// in time), so it was not saved: nothing changed, and the caller may try again. The HTTP pipeline answers 503.
/// </summary>
public sealed class OrchestrationUnavailableException : Exception
{
    public OrchestrationUnavailableException()
        : base("The request's orchestration could not be told of the decision; nothing was saved.")
    {
    }

    public OrchestrationUnavailableException(string message)
        : base(message)
    {
    }

    public OrchestrationUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
