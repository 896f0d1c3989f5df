using DataRights.Host.Scheduling;
using DataRights.Host.Workflow;
using Microsoft.Extensions.Options;

namespace DataRights.Functions.Timers;

/// <summary>
/// The digest's timer is a constant that fires every hour on the hour (<see cref="TimerTriggers.OverdueDigest"/>), its
/// schedule and zone settings: the Function App refuses to start with a DigestSchedule or DigestTimeZone whose
/// occurrences do not fall on a whole UTC hour (a half-hour zone, a schedule at 08:30), rather than send the digest late.
/// </summary>
public sealed class DigestTimerValidator : IValidateOptions<WorkflowOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string needed;
        try
        {
            needed = TimerSchedules.ForUtcTrigger(options.DigestSchedule, options.DigestTimeZone);
        }
        catch (Exception ex) when (ex is FormatException or TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // The workflow options' own validation names the bad value.
            return ValidateOptionsResult.Skip;
        }

        return FiresOnTheHour(needed)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"DataRights:Workflow:DigestSchedule '{options.DigestSchedule}' in {options.DigestTimeZone} needs the timer schedule '{needed}' (UTC), " +
                $"but the Function App's digest timer fires every hour on the hour ('{TimerTriggers.OverdueDigest}'): choose a time on the hour, or change TimerTriggers.OverdueDigest and redeploy.");
    }

    /// <summary>Whether a UTC schedule fires only at second 0 of minute 0 of an hour, which the hourly timer covers.</summary>
    private static bool FiresOnTheHour(string utcSchedule) => utcSchedule.Split(' ') is ["0", "0", ..];
}
