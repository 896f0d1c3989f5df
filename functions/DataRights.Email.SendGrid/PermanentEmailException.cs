using System.Net;

namespace DataRights.Email.SendGrid;

/// <summary>
/// SendGrid refused the message (400, 401, 403, 413 ...): sending it again unchanged will fail again.
/// <see cref="Errors"/> holds SendGrid's <c>errors[].message</c> texts, with the recipient address and the API key redacted.
/// </summary>
public sealed class PermanentEmailException : Exception
{
    public PermanentEmailException()
    {
        Errors = [];
    }

    public PermanentEmailException(string message)
        : base(message)
    {
        Errors = [];
    }

    public PermanentEmailException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public PermanentEmailException(string message, HttpStatusCode statusCode, IReadOnlyList<string> errors)
        : base(message)
    {
        StatusCode = statusCode;
        Errors = errors;
    }

    public HttpStatusCode StatusCode { get; }

    public IReadOnlyList<string> Errors { get; }
}
