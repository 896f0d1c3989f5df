namespace DataRights.Core.Requests;

/// <summary>Raised when code asks for a lifecycle move the rules do not allow.</summary>
public sealed class IllegalTransitionException : InvalidOperationException
{
    public IllegalTransitionException(RequestStatus from, RequestStatus to)
        : base($"A request cannot move from '{from.Name()}' to '{to.Name()}'.")
    {
        From = from;
        To = to;
    }

    public RequestStatus From { get; }

    public RequestStatus To { get; }
}
