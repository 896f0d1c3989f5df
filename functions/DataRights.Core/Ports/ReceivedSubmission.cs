using DataRights.Core.Requests;

namespace DataRights.Core.Ports;

/// <summary>
/// A public submission as it was received, kept until it is taken in (<see cref="ISubmissionInbox"/>): its id, the channel
/// it came by, when it arrived (the statutory clock counts from then, however late it is taken in) and what was sent.
/// </summary>
public sealed record ReceivedSubmission(string Id, IntakeChannel Channel, DateTimeOffset ReceivedAt, IntakeSubmission Submission)
{
    /// <summary>
    /// Set aside by the hourly check, when its taking in kept stopping the program: kept, not taken in, shown to staff.
    /// Null for one waiting to be taken in as usual.
    /// </summary>
    public SubmissionSetAside? SetAside { get; init; }
}
