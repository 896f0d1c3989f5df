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
            if (string.IsNullOrWhiteSpace(key) || calendar.Remove.Count > 0 && !HolidayCalendars.IsBuiltIn(key))
            {
                yield return $"DataRights:Deadlines:Holidays:{key}: only a built-in calendar ({string.Join(", ", HolidayCalendars.BuiltInNames.Keys)}) has dates to remove.";
            }
        }

        if (!UkCalendars.Contains(options.UkLocation, StringComparer.OrdinalIgnoreCase))
        {
            yield return $"DataRights:Deadlines:UkLocation: '{options.UkLocation}' is not a UK nation's calendar ({string.Join(", ", UkCalendars)}).";
        }

        var calendars = BuildCalendars(options);
        if (options.EuMemberState is { Length: > 0 } state && (UkCalendars.Contains(state, StringComparer.OrdinalIgnoreCase) || !calendars.Contains(state)))
        {
            yield return $"DataRights:Deadlines:EuMemberState: '{state}' has no public-holiday calendar (built in: {string.Join(", ", EuCalendars().Select(k => k.ToUpperInvariant()))}; another state's dates go under DataRights:Deadlines:Holidays:{state.ToLowerInvariant()}:Add).";
        }

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

    public static HolidayCalendars BuildCalendars(DeadlineOptions options) =>
        HolidayCalendars.Create(options.Holidays
            .Where(p => !string.IsNullOrWhiteSpace(p.Key))
            .ToDictionary(p => p.Key, p => ((IEnumerable<DateOnly>)p.Value.Add, (IEnumerable<DateOnly>)p.Value.Remove), StringComparer.OrdinalIgnoreCase));

    public static DeadlineRegimes BuildRegimes(DeadlineOptions options)
    {
        var regimes = DeadlineRegimes.Defaults();
        regimes[Jurisdiction.UK] = regimes[Jurisdiction.UK] with { HolidayCalendar = options.UkLocation.ToLowerInvariant() };
        if (options.EuMemberState is { Length: > 0 } state)
        {
            // The day of receipt is the controller's day: in Dublin or Lisbon a request at 23:30 is received that day, not
            // the next (Brussels time), which would move the deadline later.
            regimes[Jurisdiction.EU] = regimes[Jurisdiction.EU] with
            {
                HolidayCalendar = state.ToLowerInvariant(),
                TimeZoneId = MemberStateTimeZones.GetValueOrDefault(state.ToLowerInvariant(), regimes[Jurisdiction.EU].TimeZoneId),
            };
        }

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

    /// <summary>The time zone of each EU and EEA state's capital (mainland Portugal's for <c>pt</c>), by ISO code.</summary>
    public static readonly IReadOnlyDictionary<string, string> MemberStateTimeZones = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["at"] = "Europe/Vienna", ["be"] = "Europe/Brussels", ["bg"] = "Europe/Sofia", ["hr"] = "Europe/Zagreb", ["cy"] = "Asia/Nicosia",
        ["cz"] = "Europe/Prague", ["dk"] = "Europe/Copenhagen", ["ee"] = "Europe/Tallinn", ["fi"] = "Europe/Helsinki", ["fr"] = "Europe/Paris",
        ["de"] = "Europe/Berlin", ["gr"] = "Europe/Athens", ["hu"] = "Europe/Budapest", ["ie"] = "Europe/Dublin", ["it"] = "Europe/Rome",
        ["lv"] = "Europe/Riga", ["lt"] = "Europe/Vilnius", ["lu"] = "Europe/Luxembourg", ["mt"] = "Europe/Malta", ["nl"] = "Europe/Amsterdam",
        ["pl"] = "Europe/Warsaw", ["pt"] = "Europe/Lisbon", ["ro"] = "Europe/Bucharest", ["sk"] = "Europe/Bratislava", ["si"] = "Europe/Ljubljana",
        ["es"] = "Europe/Madrid", ["se"] = "Europe/Stockholm", ["is"] = "Atlantic/Reykjavik", ["li"] = "Europe/Vaduz", ["no"] = "Europe/Oslo",
    };

    private static readonly string[] UkCalendars = [HolidayCalendars.EnglandAndWales, HolidayCalendars.Scotland, HolidayCalendars.NorthernIreland];

    private static IEnumerable<string> EuCalendars() =>
        HolidayCalendars.BuiltInNames.Keys.Where(k => k.Length == 2).Order(StringComparer.Ordinal);
}
