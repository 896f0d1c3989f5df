using DataRights.Core.Deadlines;
using DataRights.Core.Requests;

namespace DataRights.Host.Hosting;

/// <summary>Turns <see cref="DeadlineOptions"/> into the core's regimes and holiday calendars.</summary>
public static class DeadlineConfiguration
{
    public static IEnumerable<string> Validate(DeadlineOptions options)
    {
        foreach (var (key, calendar) in options.Holidays)
        {
            if (string.IsNullOrWhiteSpace(key) || calendar.Remove.Count > 0 && !string.Equals(key, HolidayCalendars.EnglandAndWales, StringComparison.OrdinalIgnoreCase))
            {
                yield return $"DataRights:Deadlines:Holidays:{key}: only the computed '{HolidayCalendars.EnglandAndWales}' calendar has dates to remove.";
            }
        }

        var calendars = BuildCalendars(options);
        foreach (var (key, o) in options.Regimes)
        {
            var prefix = $"DataRights:Deadlines:Regimes:{key}";
            if (!WireNames.TryParseJurisdiction(key, out _))
            {
                yield return $"{prefix}: '{key}' is not a jurisdiction ({string.Join(", ", WireNames.AllJurisdictions)}).";
                continue;
            }

            if (o.Months is < 0 or > 12 || o.Days is < 0 or > 366)
            {
                yield return $"{prefix}: Months must be 0 to 12 and Days 0 to 366.";
            }

            if (o.TimeZoneId is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            {
                yield return $"{prefix}:TimeZoneId '{zone}' is not a known time zone.";
            }

            if (o.HolidayCalendar is { } calendar && !calendars.Contains(calendar))
            {
                yield return $"{prefix}:HolidayCalendar '{calendar}' is not defined under DataRights:Deadlines:Holidays.";
            }
        }

        if (options.Regimes.Count > 0 && BuildRegimes(options).All.Any(r => r.Months == 0 && r.Days == 0))
        {
            yield return "DataRights:Deadlines:Regimes: a regime must give Months or Days.";
        }
    }

    public static HolidayCalendars BuildCalendars(DeadlineOptions options)
    {
        var calendars = new List<IHolidayCalendar>();
        options.Holidays.TryGetValue(HolidayCalendars.EnglandAndWales, out var england);
        calendars.Add(new EnglandAndWalesBankHolidays(england?.Add, england?.Remove));
        calendars.AddRange(options.Holidays
            .Where(p => !string.Equals(p.Key, HolidayCalendars.EnglandAndWales, StringComparison.OrdinalIgnoreCase))
            .Select(p => new FixedHolidayCalendar(p.Key, p.Value.Add)));
        return new HolidayCalendars(calendars);
    }

    public static DeadlineRegimes BuildRegimes(DeadlineOptions options)
    {
        var regimes = DeadlineRegimes.Defaults();
        foreach (var (key, o) in options.Regimes)
        {
            if (!WireNames.TryParseJurisdiction(key, out var jurisdiction))
            {
                continue;
            }

            var r = regimes[jurisdiction];
            regimes[jurisdiction] = r with
            {
                Name = o.Name ?? r.Name,
                Months = o.Months ?? r.Months,
                Days = o.Days ?? r.Days,
                MoveToWorkingDay = o.MoveToWorkingDay ?? r.MoveToWorkingDay,
                TimeZoneId = o.TimeZoneId ?? r.TimeZoneId,
                HolidayCalendar = o.HolidayCalendar ?? r.HolidayCalendar,
                PausesForVerification = o.PausesForVerification ?? r.PausesForVerification,
            };
        }

        return new DeadlineRegimes(regimes);
    }
}
