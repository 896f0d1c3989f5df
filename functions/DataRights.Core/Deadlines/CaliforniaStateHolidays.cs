namespace DataRights.Core.Deadlines;

/// <summary>
/// California state holidays, the days the CCPA regulations' "business days" exclude besides weekends:
/// the holidays of Government Code §19853 as the state observes them (CalHR's list). A holiday on a
/// Sunday is observed the Monday after; Veterans Day on a Saturday the Friday before; other Saturday
/// holidays are not moved. Days §6700 also names but state offices stay open on (Lincoln's Birthday,
/// Native American Day, Columbus Day) are not skipped, which gives the earlier, safe date.
/// </summary>
public sealed class CaliforniaStateHolidays(IEnumerable<DateOnly>? added = null, IEnumerable<DateOnly>? removed = null)
    : DatedCalendar(HolidayCalendars.California, "California", added, removed)
{
    protected override IEnumerable<DateOnly> Compute(int year)
    {
        yield return SundayToMonday(new DateOnly(year, 1, 1));
        yield return Nth(year, 1, DayOfWeek.Monday, 3);
        yield return Nth(year, 2, DayOfWeek.Monday, 3);
        yield return SundayToMonday(new DateOnly(year, 3, 31));
        yield return Last(year, 5, DayOfWeek.Monday);
        yield return SundayToMonday(new DateOnly(year, 7, 4));
        yield return Nth(year, 9, DayOfWeek.Monday, 1);
        var veterans = new DateOnly(year, 11, 11);
        yield return veterans.DayOfWeek == DayOfWeek.Saturday ? veterans.AddDays(-1) : SundayToMonday(veterans);
        var thanksgiving = Nth(year, 11, DayOfWeek.Thursday, 4);
        yield return thanksgiving;
        yield return thanksgiving.AddDays(1);
        yield return SundayToMonday(new DateOnly(year, 12, 25));
    }

    private static DateOnly SundayToMonday(DateOnly date) => date.DayOfWeek == DayOfWeek.Sunday ? date.AddDays(1) : date;

    private static DateOnly Nth(int year, int month, DayOfWeek day, int n)
    {
        var date = new DateOnly(year, month, 1);
        while (date.DayOfWeek != day)
        {
            date = date.AddDays(1);
        }

        return date.AddDays(7 * (n - 1));
    }

    private static DateOnly Last(int year, int month, DayOfWeek day)
    {
        var date = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        while (date.DayOfWeek != day)
        {
            date = date.AddDays(-1);
        }

        return date;
    }
}
