namespace DataRights.Core.Ports;

/// <summary>
/// Notes of the steps runs of the program have in progress (each step named by a text: its activity and input), kept
/// where the next run finds them, so that a step in progress each of <see cref="StopsAllowed"/> times the program stopped
/// without finishing it (a step that kills its process) is given up rather than run for ever. A run is one start of the
/// program; on Azure each instance's worker is a run of its own.
/// </summary>
public interface IStepNotes
{
    /// <summary>Runs of the program that may stop while a step is in progress before the step is no longer run.</summary>
    int StopsAllowed { get; }

    /// <summary>
    /// Notes <paramref name="step"/> as taken by this run and says how many other runs took it and never finished it; at
    /// <see cref="StopsAllowed"/> the caller gives the step up (this run is not added to its note) and lets the note go
    /// (<see cref="FinishedAsync"/>). May throw when the notes cannot be reached: the caller then runs the step unnoted.
    /// </summary>
    Task<int> TakeAsync(string step, CancellationToken cancellationToken);

    /// <summary>The step finished, or was given up or put back while the program runs: its note goes.</summary>
    Task FinishedAsync(string step, CancellationToken cancellationToken);

    /// <summary>
    /// This run stops in order (an operator, a deployment, a scale-in) with steps still in progress: it is taken off their
    /// notes, so cutting them off does not count as a stop (a note naming no other run goes). Returns how many it let go.
    /// </summary>
    Task<int> LetGoOfThisRunAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Drops the notes no run has taken since <paramref name="before"/> (by the program's clock), except those of steps this
    /// run has in progress: what a worker that stopped holding a step leaves when the step is never delivered again (its
    /// orchestration ended or was terminated meanwhile). A step delivered again is taken again within minutes, so such a
    /// note holds no count that still matters; should the step come back after all, its count starts afresh. Returns how
    /// many notes went.
    /// </summary>
    Task<int> DropUntakenSinceAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
