using System.Globalization;

namespace DataRights.Host.Scheduling;

/// <summary>
/// Timer triggers on Linux Consumption and Flex Consumption read schedules in UTC (WEBSITE_TIME_ZONE is not
/// supported there), while our jobs run on a region's local clock. So a job's trigger fires at every UTC time its
/// local occurrence can fall on (each UTC offset the zone uses), every day, and the job itself
/// (<see cref="JobScheduler.RunIfDueAsync"/>) runs only an occurrence that is due and not yet run.
/// </summary>
public static class TimerSchedules
{
    /// <summary>Zones whose offsets are not whole hours fall back to a five-minute check.</summary>
    public const string FallbackSchedule = "0 */5 * * * *";

    public static string ForUtcTrigger(string expression, string timeZoneId)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length != 6)
        {
            throw new FormatException($"'{expression}' is not a six-field NCRONTAB expression.");
        }

        var offsets = OffsetsOf(TimeZoneInfo.FindSystemTimeZoneById(timeZoneId));
        if (offsets is [{ Ticks: 0 }])
        {
            return string.Join(' ', fields);
        }

        if (offsets.Any(o => o.Minutes != 0 || o.Seconds != 0) || !TryExpandHours(fields[2], out var hours))
        {
            return FallbackSchedule;
        }

        var utcHours = hours is null
            ? "*"
            : string.Join(',', hours.SelectMany(h => offsets.Select(o => (((h - o.Hours) % 24) + 24) % 24)).Distinct().Order()
                .Select(h => h.ToString(CultureInfo.InvariantCulture)));
        return $"{fields[0]} {fields[1]} {utcHours} * * *";
    }

    /// <summary>The UTC offsets a zone uses over the coming years (summer and winter time).</summary>
    private static List<TimeSpan> OffsetsOf(TimeZoneInfo zone)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return [.. Enumerable.Range(0, 365 * 3).Select(day => zone.GetUtcOffset(start.AddDays(day))).Append(zone.BaseUtcOffset).Distinct().Order()];
    }

    /// <summary>The hours an hour field names; null for every hour ('*').</summary>
    private static bool TryExpandHours(string field, out List<int>? hours)
    {
        hours = null;
        if (field == "*")
        {
            return true;
        }

        var set = new SortedSet<int>();
        foreach (var part in field.Split(','))
        {
            var (range, step) = part.Split('/') switch
            {
                [var r] => (r, 1),
                [var r, var s] when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => (r, n),
                _ => (string.Empty, 0),
            };
            int from, to;
            if (range == "*")
            {
                (from, to) = (0, 23);
            }
            else if (range.Split('-') is [var a, var b] && int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out from) && int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out to))
            {
            }
            else if (int.TryParse(range, NumberStyles.None, CultureInfo.InvariantCulture, out from))
            {
                to = step == 1 ? from : 23;
            }
            else
            {
                return false;
            }

            if (step == 0 || from is < 0 or > 23 || to is < 0 or > 23 || from > to)
            {
                return false;
            }

            for (var h = from; h <= to; h += step)
            {
                set.Add(h);
            }
        }

        hours = [.. set];
        return true;
    }
}
