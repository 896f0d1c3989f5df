using NCrontab;

namespace DataRights.Host.Scheduling;

/// <summary>
/// A six-field NCRONTAB schedule (as Azure Functions timers use) read in a time zone, so "every night
/// at 01:30" means 01:30 on the region's clock, summer and winter. A local time skipped by a clock
/// change runs at the first instant after it; a repeated one runs once.
/// </summary>
public sealed class CronSchedule
{
    private readonly CrontabSchedule _schedule;
    private readonly TimeZoneInfo _zone;

    public CronSchedule(string expression, string timeZoneId)
    {
        _schedule = CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        _zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after)
    {
        var local = TimeZoneInfo.ConvertTime(after, _zone).DateTime;
        var next = _schedule.GetNextOccurrence(DateTime.SpecifyKind(local, DateTimeKind.Unspecified));
        while (true)
        {
            if (_zone.IsInvalidTime(next))
            {
                // Skipped by the spring change: run at the first valid minute after the gap.
                var shifted = next;
                while (_zone.IsInvalidTime(shifted))
                {
                    shifted = shifted.AddMinutes(1);
                }

                return new DateTimeOffset(shifted, _zone.GetUtcOffset(shifted));
            }

            // Repeated by the autumn change: the first of the two instants.
            var offset = _zone.IsAmbiguousTime(next) ? _zone.GetAmbiguousTimeOffsets(next).Max() : _zone.GetUtcOffset(next);
            var instant = new DateTimeOffset(next, offset);
            if (instant > after)
            {
                return instant;
            }

            next = _schedule.GetNextOccurrence(next);
        }
    }
}
