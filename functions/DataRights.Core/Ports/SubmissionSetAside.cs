namespace DataRights.Core.Ports;

/// <summary>
/// Why and since when a kept submission is not taken in: the hourly check set it aside at <paramref name="At"/>, as its
/// taking in was in progress each of <paramref name="Stops"/> times the program stopped without finishing it, or (with
/// <paramref name="Failure"/>, the kind of error, no personal data) as taking it in had failed at every try for a day.
/// <paramref name="TryAgain"/>: a member of staff asked for it to be tried again, and its taking in could not be started
/// then (it is started at once, which takes the mark off); the next check starts it.
/// </summary>
public sealed record SubmissionSetAside(DateTimeOffset At, int Stops, bool TryAgain, string? Failure = null);
