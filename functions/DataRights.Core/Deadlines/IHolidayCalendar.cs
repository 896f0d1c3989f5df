namespace DataRights.Core.Deadlines;

/// <summary>Tells which dates are public holidays in one place.</summary>
public interface IHolidayCalendar
{
    string Key { get; }

    bool IsHoliday(DateOnly date);
}
