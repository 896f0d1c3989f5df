using System.ComponentModel.DataAnnotations;
using DataRights.Core.Workflow;

namespace DataRights.Host.Workflow;

/// <summary><c>DataRights:Workflow</c>: retries, approvers and the workflow's timings.</summary>
public sealed class WorkflowOptions
{
    public const string Section = "DataRights:Workflow";

    /// <summary>Benchmarks only: approve every request as soon as discovery finishes, as "system:auto-approve".</summary>
    public bool AutoApprove { get; set; }

    /// <summary>Deliveries of one work item before it is dead-lettered and staff are alerted.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 6;

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long one source may take to answer a discovery before the attempt counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DiscoveryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "06:00:00")]
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan VerificationLinkLifetime { get; set; } = TimeSpan.FromHours(72);

    // Reminders, expiry and escalation may be seconds apart, so the orchestrations' timers can be tested on the real clock.
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan VerificationReminderAfter { get; set; } = TimeSpan.FromDays(3);

    [Range(typeof(TimeSpan), "00:00:01", "90.00:00:00")]
    public TimeSpan VerificationExpiresAfter { get; set; } = TimeSpan.FromDays(14);

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan ApprovalReminderAfter { get; set; } = TimeSpan.FromHours(48);

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan ApprovalEscalationAfter { get; set; } = TimeSpan.FromHours(96);

    /// <summary>When the person is reminded of a question staff asked them that they have not answered.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "29.00:00:00")]
    public TimeSpan InformationReminderAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>When the privacy team is told the person has still not answered (the answer link lasts 30 days).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan InformationUnansweredAfter { get; set; } = TimeSpan.FromDays(21);

    /// <summary>When a manual source's owner is reminded of a task they have not answered.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan AwaitedAnswerReminderAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long a manual owner, or a system answering by callback, has before the step counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "60.00:00:00")]
    public TimeSpan AwaitedAnswerTimeout { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long before a restriction is lifted the person is told (Art. 18(3)).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")]
    public TimeSpan RestrictionLiftNotice { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long the download link of an access or portability export works; the file is deleted when it expires.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan ExportLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Staff links (approval pages) stay valid this long.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan StaffLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>When the staff digest of overdue and soon-due requests is sent (six-field NCRONTAB, in <see cref="DigestTimeZone"/>).</summary>
    [Required]
    public string DigestSchedule { get; set; } = "0 0 8 * * 1-5";

    [Required]
    public string DigestTimeZone { get; set; } = "Europe/London";

    /// <summary>Require the requester's account reference to match a record found in discovery before approval.</summary>
    public bool RequireAccountMatch { get; set; }

    /// <summary>Who is asked to approve (emails); when none are configured, <see cref="ExampleApprover"/>.</summary>
    [MinLength(1)]
    public List<string> Approvers { get; set; } = [];

    /// <summary>
    /// The approver when none are configured. Not a list default: the configuration binder appends the configured
    /// approvers to a list's default items, so it would be asked as well.
    /// </summary>
    public const string ExampleApprover = "approver@example.com";

    /// <summary>Who is asked when approvers have not answered by the escalation time.</summary>
    [EmailAddress]
    public string FallbackApprover { get; set; } = "dpo@example.com";

    /// <summary>Where deadline reminders, overdue notices and failure alerts go.</summary>
    [EmailAddress]
    public string StaffAlerts { get; set; } = "privacy-team@example.com";

    public WorkflowSettings ToSettings() => new()
    {
        VerificationLinkLifetime = VerificationLinkLifetime,
        VerificationReminderAfter = VerificationReminderAfter,
        VerificationExpiresAfter = VerificationExpiresAfter,
        ApprovalReminderAfter = ApprovalReminderAfter,
        ApprovalEscalationAfter = ApprovalEscalationAfter,
        InformationReminderAfter = InformationReminderAfter,
        InformationUnansweredAfter = InformationUnansweredAfter,
        AwaitedAnswerReminderAfter = AwaitedAnswerReminderAfter,
        AwaitedAnswerTimeout = AwaitedAnswerTimeout,
        ExportLinkLifetime = ExportLinkLifetime,
        RestrictionLiftNotice = RestrictionLiftNotice,
        RequireAccountMatch = RequireAccountMatch,
        AutoApprove = AutoApprove,
    };
}
