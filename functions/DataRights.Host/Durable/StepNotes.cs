using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DataRights.Core.Ports;

namespace DataRights.Host.Durable;

/// <summary>
/// Notes of the steps this process has in progress, so a step that keeps stopping the program can be told apart and
/// given up (<see cref="StepCrashGuardService"/> for the local task hub, and the workflow check's own taking in on both
/// hosts; the Function App's activities keep theirs in the store, shared by its instances). Each step
/// taken is noted in a file of its own under <paramref name="folder"/>, named by a hash of the step's identity (its
/// orchestration, activity and input) and holding the ids of the program's runs that took it (a new id each start),
/// nothing else; the note is removed once the step has finished. A step whose note names
/// <paramref name="stopsAllowed"/> earlier runs that never finished it is given up: once its failure has been handed
/// back, its note goes (<see cref="Finished"/>), and a later delivery (a staff retry) starts counting afresh. A stop the
/// program makes itself (an operator's or a deployment's, whose drain cut a step off) is not the step's doing: the run
/// lets go of its notes as it stops (<see cref="LetGoOfThisRun"/>), so only the stops nobody asked for count. A folder
/// that cannot be written leaves steps to run without notes (log 3451). A note's file is dated when it is written, by
/// <paramref name="time"/> (the program's clock), so that notes no run took for long go (<see cref="DropUntakenSince"/>).
/// </summary>
public sealed class StepNotes(string folder, int stopsAllowed, ILogger logger, TimeProvider? time = null) : IStepNotes
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>This run of the program.</summary>
    private readonly string _run = Guid.NewGuid().ToString("N");

    /// <summary>The notes this run wrote its id in and has not let go of (the steps it has in progress).</summary>
    private readonly ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);

    private int _unavailable;

    /// <summary>Runs of the program that may stop while a step is in progress before the step is no longer run.</summary>
    public int StopsAllowed => stopsAllowed;

    /// <summary>What the step's failure says when it is given up after <paramref name="stops"/> stops.</summary>
    public static string GivenUpMessage(int stops) => string.Create(
        CultureInfo.InvariantCulture, $"This step was in progress each of the {stops} times the program stopped without finishing it, so it was not run again.");

    /// <summary>
    /// Notes the step as taken by this run, and says how many earlier runs of the program took it and never finished it;
    /// when that reaches <see cref="StopsAllowed"/>, the step is given up (<see cref="GivesUp"/>): the caller hands its
    /// failure back, then lets the note go (<see cref="Finished"/>). Should the failure not be handed back, the note
    /// stays, and the next delivery is given up too.
    /// </summary>
    public int Take(string step)
    {
        var note = NoteOf(step);
        try
        {
            var runs = File.Exists(note) ? File.ReadAllLines(note) : [];
            var stops = runs.Where(r => r.Length > 0 && r != _run).Distinct(StringComparer.Ordinal).Count();
            if (GivesUp(stops))
            {
                return stops;
            }

            if (!runs.Contains(_run, StringComparer.Ordinal))
            {
                Hosting.OwnerOnlyFiles.Folder(folder);
                using (var writer = new StreamWriter(Hosting.OwnerOnlyFiles.Create(note, FileMode.Append)))
                {
                    writer.Write(_run + "\n");
                }

                Dated(note);
            }

            _held[note] = 0;
            return stops;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Unavailable(ex);
            return 0;
        }
    }

    Task<int> IStepNotes.TakeAsync(string step, CancellationToken cancellationToken) => Task.FromResult(Take(step));

    Task IStepNotes.FinishedAsync(string step, CancellationToken cancellationToken)
    {
        Finished(step);
        return Task.CompletedTask;
    }

    Task<int> IStepNotes.LetGoOfThisRunAsync(CancellationToken cancellationToken) => Task.FromResult(LetGoOfThisRun());

    Task<int> IStepNotes.DropUntakenSinceAsync(DateTimeOffset before, CancellationToken cancellationToken) => Task.FromResult(DropUntakenSince(before));

    /// <summary>
    /// Drops the notes last written before <paramref name="before"/> that this run does not hold: left by a run that stopped
    /// holding a step never delivered again. Returns how many went.
    /// </summary>
    public int DropUntakenSince(DateTimeOffset before)
    {
        var dropped = 0;
        try
        {
            if (!Directory.Exists(folder))
            {
                return 0;
            }

            foreach (var note in Directory.EnumerateFiles(folder, "*.step"))
            {
                if (!_held.ContainsKey(note) && File.GetLastWriteTimeUtc(note) < before.UtcDateTime)
                {
                    File.Delete(note);
                    dropped++;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Unavailable(ex);
        }

        return dropped;
    }

    private void Dated(string note) => File.SetLastWriteTimeUtc(note, _time.GetUtcNow().UtcDateTime);

    /// <summary>Whether a step that <paramref name="stops"/> runs of the program took and never finished is given up.</summary>
    public bool GivesUp(int stops) => stops >= stopsAllowed;

    /// <summary>A step finished (or was put back while the program runs): its note goes.</summary>
    public void Finished(string step)
    {
        var note = NoteOf(step);
        _held.TryRemove(note, out _);
        try
        {
            if (File.Exists(note))
            {
                File.Delete(note);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Unavailable(ex);
        }
    }

    /// <summary>
    /// The program stops in order (an operator, a deployment) with steps still in progress (its drain ran out of time): this
    /// run is taken off their notes, so cutting them off does not count as a stop (a note naming no other run goes). The
    /// runs before that never finished them still count. Returns how many steps this run let go of.
    /// </summary>
    public int LetGoOfThisRun()
    {
        var let = 0;
        foreach (var note in _held.Keys.Order(StringComparer.Ordinal))
        {
            _held.TryRemove(note, out _);
            try
            {
                if (!File.Exists(note))
                {
                    continue;
                }

                var others = File.ReadAllLines(note).Where(r => r.Length > 0 && r != _run).Distinct(StringComparer.Ordinal).ToList();
                if (others.Count == 0)
                {
                    File.Delete(note);
                }
                else
                {
                    using (var writer = new StreamWriter(Hosting.OwnerOnlyFiles.Create(note, FileMode.Create)))
                    {
                        writer.Write(string.Concat(others.Select(r => r + "\n")));
                    }

                    Dated(note);
                }

                let++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Unavailable(ex);
            }
        }

        return let;
    }

    private void Unavailable(Exception ex)
    {
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            logger.StepJournalUnavailable(folder, ex.GetType().Name);
        }
    }

    /// <summary>The folder the notes are kept in.</summary>
    public string Folder => folder;

    /// <summary>The file a step's note is kept in (whether or not it exists).</summary>
    public string NoteOf(string step) => Path.Combine(folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(step))) + ".step");
}
