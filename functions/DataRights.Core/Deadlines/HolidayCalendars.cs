namespace DataRights.Core.Deadlines;

/// <summary>The holiday calendars regimes can name.</summary>
public sealed class HolidayCalendars
{
    public const string None = "none";
    public const string EnglandAndWales = "england-and-wales";

    private readonly Dictionary<string, IHolidayCalendar> _calendars = new(StringComparer.OrdinalIgnoreCase);

    public HolidayCalendars(IEnumerable<IHolidayCalendar> calendars)
    {
        _calendars[None] = new FixedHolidayCalendar(None, []);
        foreach (var calendar in calendars)
        {
            _calendars[calendar.Key] = calendar;
        }
    }

    /// <summary>The default set: England and Wales bank holidays, and weekends only.</summary>
    public static HolidayCalendars Default { get; } = new([new EnglandAndWalesBankHolidays()]);

    public bool Contains(string key) => _calendars.ContainsKey(key);

    public IHolidayCalendar Get(string key) =>
        _calendars.TryGetValue(key, out var calendar)
            ? calendar
            : throw new KeyNotFoundException($"No holiday calendar named '{key}'.");
}
