namespace DataRights.Core.Retention;

/// <summary>
/// What a rule's maximum age counts from. The source's purge statement compares the matching column
/// (creation, last activity or closure date) with the cutoff; for
/// <see cref="EndOfCalendarMonthAfterClosure"/> the cutoff is moved to a month boundary, so data of an
/// account closed in October goes once October has ended (plus the maximum age, usually none: <c>P0D</c>).
/// </summary>
public static class RetentionEvents
{
    public const string Created = "created";
    public const string LastActivity = "last_activity";
    public const string AccountClosed = "account_closed";
    public const string EndOfCalendarMonthAfterClosure = "end_of_calendar_month_after_closure";

    public static IReadOnlyList<string> All { get; } = [Created, LastActivity, AccountClosed, EndOfCalendarMonthAfterClosure];
}
