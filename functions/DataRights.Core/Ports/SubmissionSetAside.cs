namespace DataRights.Core.Ports;

/// <summary>
/// Why and since when a kept submission is not taken in: its taking in was in progress each of <paramref name="Stops"/>
/// times the program stopped without finishing it, and the hourly check set it aside at <paramref name="At"/>.
/// <paramref name="TryAgain"/>: a member of staff asked for it to be tried again; the next check does so.
/// </summary>
public sealed record SubmissionSetAside(DateTimeOffset At, int Stops, bool TryAgain);
