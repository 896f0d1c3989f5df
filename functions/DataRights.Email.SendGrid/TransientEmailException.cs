using System.Net;

namespace DataRights.Email.SendGrid;

/// <summary>
/// SendGrid could not take the message now (429, 5xx, network failure) and every in-process attempt is spent.
/// The work queue should retry later; the message was not recorded as sent.
/// </summary>
public sealed class TransientEmailException : Exception
{
    public TransientEmailException()
    {
    }

    public TransientEmailException(string message)
        : base(message)
    {
    }

    public TransientEmailException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TransientEmailException(string message, HttpStatusCode? statusCode, int attempts, TimeSpan? retryAfter, Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Attempts = attempts;
        RetryAfter = retryAfter;
    }

    /// <summary>Status of the last response; null when the last attempt got no response at all.</summary>
    public HttpStatusCode? StatusCode { get; }

    public int Attempts { get; }

    /// <summary>How long SendGrid asked us to wait after the last response (uncapped), when it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
