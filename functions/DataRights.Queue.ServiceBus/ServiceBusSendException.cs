namespace DataRights.Queue.ServiceBus;

/// <summary>
/// Service Bus did not take the message: <see cref="Status"/> is its answer (0: no answer). Transient answers were
/// already retried; either way the message is not on the queue and the caller keeps it.
/// </summary>
public sealed class ServiceBusSendException : Exception
{
    public ServiceBusSendException()
    {
    }

    public ServiceBusSendException(string message)
        : base(message)
    {
    }

    public ServiceBusSendException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ServiceBusSendException(string message, int status, bool transient, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        Transient = transient;
    }

    public int Status { get; }

    /// <summary>A busy or failing service, or no answer: the next sweep may succeed. Otherwise (401, 403, 404...) settings must change.</summary>
    public bool Transient { get; }
}
