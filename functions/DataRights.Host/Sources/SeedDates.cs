namespace DataRights.Host.Sources;

/// <summary>
/// The dates of the demo's seeded records, counted back from the day a database is seeded, spread by person
/// <c>n</c>: three monthly records (<see cref="Month"/>: invoices, calls, messages, tickets) between 1 and 14
/// months old, and one record by day (<see cref="Day"/>: call recordings) between 0 and 55 days old. Against
/// the sample policy (calls and messages 6 months, recordings 28 days) some are past retention and some not.
/// </summary>
public static class SeedDates
{
    /// <summary>Record <paramref name="i"/> (1 to 3, oldest first) of person <paramref name="n"/>: 3 to 14, 2 to 13 and 1 to 12 months before <paramref name="today"/>.</summary>
    public static DateOnly Month(DateOnly today, int n, int i) => today.AddMonths(-((n % 12) + 4 - i));

    /// <summary>Person <paramref name="n"/>'s record dated by day: 0 to 55 days before <paramref name="today"/>.</summary>
    public static DateOnly Day(DateOnly today, int n) => today.AddDays(-(n % 56));
}
