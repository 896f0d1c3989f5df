using System.Collections.Concurrent;

namespace DataRights.Core.Deadlines;

/// <summary>
/// A holiday calendar computed a year at a time (by a rule or a library), with dates configuration
/// adds (a one-off holiday proclaimed after the release we ship) or removes (a holiday moved).
/// </summary>
public abstract class DatedCalendar : IHolidayCalendar
{
    private readonly HashSet<DateOnly> _added;
    private readonly HashSet<DateOnly> _removed;
    private readonly ConcurrentDictionary<int, HashSet<DateOnly>> _years = new();

    protected DatedCalendar(string key, string name, IEnumerable<DateOnly>? added, IEnumerable<DateOnly>? removed)
    {
        Key = key;
        Name = name;
        _added = [.. added ?? []];
        _removed = [.. removed ?? []];
    }

    public string Key { get; }

    /// <summary>The place whose holidays these are, in plain words (shown to staff).</summary>
    public string Name { get; }

    public bool IsHoliday(DateOnly date) =>
        _added.Contains(date) || (!_removed.Contains(date) && _years.GetOrAdd(date.Year, y => [.. Compute(y)]).Contains(date));

    /// <summary>The holidays of one year as configured: computed, plus added, minus removed, in date order.</summary>
    public IReadOnlyList<DateOnly> ForYear(int year)
    {
        var days = new List<DateOnly>();
        for (var date = new DateOnly(year, 1, 1); date.Year == year; date = date.AddDays(1))
        {
            if (IsHoliday(date))
            {
                days.Add(date);
            }
        }

        return days;
    }

    /// <summary>The regular holidays of one year, before configuration.</summary>
    protected abstract IEnumerable<DateOnly> Compute(int year);
}
