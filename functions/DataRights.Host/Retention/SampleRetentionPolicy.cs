using DataRights.Core.Retention;

namespace DataRights.Host.Retention;

/// <summary>
/// The policy shipped with the demo, after a telecom vendor's published retention notice: call detail,
/// application and SMS records 6 months; logs and speech recordings 28 days; database backups 180 days;
/// account data deleted at the end of the calendar month after closure; trace data in backups 7 weeks
/// after closure; billing and accounting records 7 years; third-party call recordings 3 months.
/// </summary>
public static class SampleRetentionPolicy
{
    public static IReadOnlyList<RetentionRule> Rules { get; } =
    [
        Rule("telephony.cdr", "P6M", RetentionEvents.Created, "Call detail records: 6 months, for billing queries and fraud prevention (retention notice)"),
        Rule("application.record", "P6M", RetentionEvents.Created, "Application records: 6 months, for support and security (retention notice)"),
        Rule("telephony.sms", "P6M", RetentionEvents.Created, "SMS records: 6 months, for billing queries and fraud prevention (retention notice)"),
        Rule("system.log", "P28D", RetentionEvents.Created, "Logs: 28 days, for security monitoring and troubleshooting (retention notice)"),
        Rule("telephony.recording", "P28D", RetentionEvents.Created, "Speech recordings: 28 days, for quality assurance and training (retention notice)"),
        Rule("backup.database", "P180D", RetentionEvents.Created, "Database backups: 180 days, for disaster recovery (retention notice)"),
        Rule("contact.email", "P0D", RetentionEvents.EndOfCalendarMonthAfterClosure, "Account data: deleted at the end of the calendar month in which the account is closed (retention notice)"),
        Rule("backup.trace", "P7W", RetentionEvents.AccountClosed, "Trace data in backups: 7 weeks after the account is closed (retention notice)"),
        Rule("billing.invoice", "P7Y", RetentionEvents.Created, "Billing and accounting records: 7 years, as tax law requires (retention notice)"),
        Rule("telephony.third_party_recording", "P3M", RetentionEvents.Created, "Third-party call recordings: 3 months, as agreed with the recording provider (retention notice)"),
    ];

    /// <summary>The same notice in every region with a purge timer.</summary>
    public static IReadOnlyList<RetentionPolicy> Policies { get; } = [.. PurgeRegions.All.Select(r => new RetentionPolicy(r.Key, Rules))];

    private static RetentionRule Rule(string category, string maxAge, string countsFrom, string basis) =>
        new() { Category = category, MaxAge = maxAge, CountsFrom = countsFrom, Basis = basis };
}
