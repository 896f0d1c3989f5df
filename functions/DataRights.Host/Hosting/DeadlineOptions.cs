namespace DataRights.Host.Hosting;

/// <summary>
/// <c>DataRights:Deadlines</c>: where the controller is (which public holidays move a deadline),
/// per-jurisdiction overrides of the statutory clock (keyed UK, EU, US-CA, BR, IN, OTHER) and extra or
/// removed holiday dates per calendar (keyed by calendar name).
/// </summary>
public sealed class DeadlineOptions
{
    /// <summary>The controller's UK nation, whose bank holidays move a UK deadline: england-and-wales, scotland or northern-ireland.</summary>
    public string UkLocation { get; set; } = DataRights.Core.Deadlines.HolidayCalendars.EnglandAndWales;

    /// <summary>
    /// The controller's EU member state (ISO code, e.g. IE), whose public holidays move an EU deadline
    /// (Regulation 1182/71). Empty: weekends only, the earlier date.
    /// </summary>
    public string? EuMemberState { get; set; }

    public Dictionary<string, DeadlineRegimeOverride> Regimes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, HolidayCalendarOptions> Holidays { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Fields left empty keep the legal default.</summary>
public sealed class DeadlineRegimeOverride
{
    public string? Name { get; set; }

    public int? Months { get; set; }

    public int? Days { get; set; }

    public bool? MoveToWorkingDay { get; set; }

    public string? TimeZoneId { get; set; }

    public string? HolidayCalendar { get; set; }

    public bool? PausesForVerification { get; set; }
}

/// <summary>Dates added to (a one-off bank holiday) or removed from (a moved one) a holiday calendar.</summary>
public sealed class HolidayCalendarOptions
{
    public List<DateOnly> Add { get; set; } = [];

    public List<DateOnly> Remove { get; set; } = [];
}
