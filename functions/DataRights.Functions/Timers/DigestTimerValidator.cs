using DataRights.Host.Scheduling;
using DataRights.Host.Workflow;
using Microsoft.Extensions.Options;

namespace DataRights.Functions.Timers;

/// <summary>
/// The digest's timer is a constant (<see cref="TimerTriggers.OverdueDigest"/>), its schedule a setting: the Function
/// App refuses to start with a DigestSchedule or DigestTimeZone whose occurrences the timer would not fire at, rather
/// than send the digest late or never.
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

        return needed == TimerTriggers.OverdueDigest
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"DataRights:Workflow:DigestSchedule '{options.DigestSchedule}' in {options.DigestTimeZone} needs the timer schedule '{needed}' (UTC), " +
                $"but the Function App's digest timer fires at '{TimerTriggers.OverdueDigest}': change TimerTriggers.OverdueDigest and redeploy, or keep the default schedule.");
    }
}
