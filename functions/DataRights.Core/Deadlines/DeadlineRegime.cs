namespace DataRights.Core.Deadlines;

/// <summary>
/// The statutory clock of one legal regime: how long the controller has, counted from the local
/// date of receipt, and how that date is adjusted.
/// </summary>
public sealed record DeadlineRegime
{
    /// <summary>Stable key stored with each request, e.g. <c>uk-gdpr</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Plain-English name shown to staff and requesters.</summary>
    public required string Name { get; init; }

    /// <summary>Calendar months to add (the day of receipt counts as day one).</summary>
    public int Months { get; init; }

    /// <summary>Calendar days to add after the months.</summary>
    public int Days { get; init; }

    /// <summary>Move a due date that falls on a weekend or holiday to the next working day.</summary>
    public bool MoveToWorkingDay { get; init; }

    /// <summary>IANA time zone in which "the day of receipt" is counted.</summary>
    public required string TimeZoneId { get; init; }

    /// <summary>Key of the holiday calendar used for working days.</summary>
    public string HolidayCalendar { get; init; } = HolidayCalendars.None;

    /// <summary>Whether the clock stops while we wait for the requester to prove who they are.</summary>
    public bool PausesForVerification { get; init; }

    /// <summary>Whether the clock stops while we wait for the requester to clarify their request (UK Art. 12A).</summary>
    public bool PausesForClarification { get; init; }

    /// <summary>Business days within which receipt must be acknowledged (CCPA: 10), if any.</summary>
    public int? AcknowledgeWithinBusinessDays { get; init; }

    /// <summary>The longest single extension allowed, in months (UK/EU GDPR: 2).</summary>
    public int ExtensionMonths { get; init; }

    /// <summary>The longest single extension allowed, in days (CCPA: 45).</summary>
    public int ExtensionDays { get; init; }
}
