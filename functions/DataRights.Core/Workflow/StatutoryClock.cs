using DataRights.Core.Deadlines;

namespace DataRights.Core.Workflow;

/// <summary>
/// The per-request clock ledger: the due date is the regime's period counted from the date of
/// receipt moved on by every whole day the clock stood still, unless an extension set a new date.
/// A pause that starts and ends on the same day costs nothing (ICO: the period starts on the day
/// the information arrives).
/// </summary>
public static class StatutoryClock
{
    public static bool IsPaused(RequestProgress progress) => progress.Pauses.Any(p => p.Until is null);

    public static int PausedDays(RequestProgress progress) =>
        progress.Pauses.Where(p => p.Until is not null).Sum(p => p.Until!.Value.DayNumber - p.From.DayNumber);

    /// <summary>
    /// The current due date. After an extension, the extended date moves on by the pauses that were
    /// still running, or began, after the day of the extension (the ones before are already in it).
    /// </summary>
    public static DateOnly DueOn(DeadlineRegime regime, DeadlineCalculator calculator, DateOnly receivedOn, RequestProgress progress)
    {
        if (progress.Extension is not { } extension)
        {
            return calculator.DueFrom(regime, receivedOn.AddDays(PausedDays(progress)));
        }

        var extendedOn = DeadlineCalculator.LocalDate(regime, extension.At);
        var later = progress.Pauses.Where(p => p.Until is { } until && until > extendedOn).Sum(p => p.Until!.Value.DayNumber - p.From.DayNumber);
        return later == 0 ? extension.NewDueOn : regime.MoveToWorkingDay ? calculator.NextWorkingDay(regime, extension.NewDueOn.AddDays(later)) : extension.NewDueOn.AddDays(later);
    }

    public static RequestProgress Pause(RequestProgress progress, DateOnly today, string reason) =>
        IsPaused(progress) ? progress : progress with { Pauses = [.. progress.Pauses, new ClockPause(today, null, reason)] };

    public static RequestProgress Resume(RequestProgress progress, DateOnly today) =>
        !IsPaused(progress)
            ? progress
            : progress with { Pauses = [.. progress.Pauses.Select(p => p.Until is null ? p with { Until = today < p.From ? p.From : today } : p)] };
}
