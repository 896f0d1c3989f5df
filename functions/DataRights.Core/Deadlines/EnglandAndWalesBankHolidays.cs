namespace DataRights.Core.Deadlines;

/// <summary>
/// England and Wales bank holidays computed from the Banking and Financial Dealings Act rules
/// (with weekend substitutes), plus one-off dates from configuration (a coronation, a jubilee),
/// minus dates configuration removes when a holiday is moved by proclamation.
/// </summary>
public sealed class EnglandAndWalesBankHolidays : IHolidayCalendar
{
    private readonly HashSet<DateOnly> _added;
    private readonly HashSet<DateOnly> _removed;

    public EnglandAndWalesBankHolidays(IEnumerable<DateOnly>? added = null, IEnumerable<DateOnly>? removed = null)
    {
        _added = [.. added ?? []];
        _removed = [.. removed ?? []];
    }

    public string Key => HolidayCalendars.EnglandAndWales;

    public bool IsHoliday(DateOnly date) =>
        _added.Contains(date) || (!_removed.Contains(date) && ForYear(date.Year).Contains(date));

    /// <summary>The regular bank holidays of one year.</summary>
    public static IReadOnlyList<DateOnly> ForYear(int year)
    {
        var easter = EasterSunday(year);
        var christmas = new DateOnly(year, 12, 25);
        var (christmasObserved, boxingObserved) = christmas.DayOfWeek switch
        {
            DayOfWeek.Friday => (christmas, christmas.AddDays(3)),
            DayOfWeek.Saturday => (christmas.AddDays(2), christmas.AddDays(3)),
            DayOfWeek.Sunday => (christmas.AddDays(2), christmas.AddDays(1)),
            _ => (christmas, christmas.AddDays(1)),
        };

        return
        [
            NextWeekday(new DateOnly(year, 1, 1)),
            easter.AddDays(-2),
            easter.AddDays(1),
            FirstMonday(year, 5),
            LastMonday(year, 5),
            LastMonday(year, 8),
            christmasObserved,
            boxingObserved,
        ];
    }

    /// <summary>Gregorian Easter Sunday (the anonymous Gregorian algorithm).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    private static DateOnly NextWeekday(DateOnly date) => date.DayOfWeek switch
    {
        DayOfWeek.Saturday => date.AddDays(2),
        DayOfWeek.Sunday => date.AddDays(1),
        _ => date,
    };

    private static DateOnly FirstMonday(int year, int month)
    {
        var date = new DateOnly(year, month, 1);
        while (date.DayOfWeek != DayOfWeek.Monday)
        {
            date = date.AddDays(1);
        }

        return date;
    }

    private static DateOnly LastMonday(int year, int month)
    {
        var date = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        while (date.DayOfWeek != DayOfWeek.Monday)
        {
            date = date.AddDays(-1);
        }

        return date;
    }
}
