using PublicHoliday;

namespace DataRights.Core.Deadlines;

/// <summary>
/// A country's (or UK nation's) public holidays from the maintained PublicHoliday library, with the
/// corrections our checks against the official lists found, and configured additions and removals.
/// </summary>
public sealed class PublicHolidayCalendar : DatedCalendar
{
    private readonly IPublicHolidays _source;
    private readonly Func<int, IEnumerable<DateOnly>> _corrections;

    internal PublicHolidayCalendar(
        string key, string name, IPublicHolidays source, Func<int, IEnumerable<DateOnly>>? corrections,
        IEnumerable<DateOnly>? added, IEnumerable<DateOnly>? removed)
        : base(key, name, added, removed)
    {
        _source = source;
        _corrections = corrections ?? (_ => []);
    }

    protected override IEnumerable<DateOnly> Compute(int year) =>
        _source.PublicHolidays(year).Select(DateOnly.FromDateTime).Where(d => d.Year == year).Concat(_corrections(year));
}
