namespace DataRights.Core.Deadlines;

/// <summary>A calendar that is just a list of dates (from configuration); empty means weekends only.</summary>
public sealed class FixedHolidayCalendar(string key, IEnumerable<DateOnly> dates) : IHolidayCalendar
{
    private readonly HashSet<DateOnly> _dates = [.. dates];

    public string Key { get; } = key;

    public bool IsHoliday(DateOnly date) => _dates.Contains(date);
}
