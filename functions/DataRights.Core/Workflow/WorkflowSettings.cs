namespace DataRights.Core.Workflow;

/// <summary>The timings and switches of the workflow; defaults follow the issue, configuration may change them.</summary>
public sealed record WorkflowSettings
{
    public TimeSpan VerificationLinkLifetime { get; init; } = TimeSpan.FromHours(72);

    public TimeSpan VerificationReminderAfter { get; init; } = TimeSpan.FromDays(3);

    public TimeSpan VerificationExpiresAfter { get; init; } = TimeSpan.FromDays(14);

    /// <summary>The most verification emails one request may send (first one included).</summary>
    public int MaxVerificationEmails { get; init; } = 5;

    /// <summary>The shortest gap between two verification emails.</summary>
    public TimeSpan VerificationResendInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most emails carrying a request's link (its verification link, or its status link) the person is sent in any
    /// 24 hours because someone asked: the first verification email, the status page's "send again", and repeat submissions.
    /// </summary>
    public int LinkEmailsPerDay { get; init; } = 3;

    public TimeSpan ApprovalReminderAfter { get; init; } = TimeSpan.FromHours(48);

    public TimeSpan ApprovalEscalationAfter { get; init; } = TimeSpan.FromHours(96);

    /// <summary>When the person is reminded of a question staff asked them that they have not answered.</summary>
    public TimeSpan InformationReminderAfter { get; init; } = TimeSpan.FromDays(7);

    /// <summary>When the privacy team is told the person has still not answered (to decide what to do; the link lasts 30 days).</summary>
    public TimeSpan InformationUnansweredAfter { get; init; } = TimeSpan.FromDays(21);

    /// <summary>Days before the due date on which staff are reminded.</summary>
    public IReadOnlyList<int> DeadlineReminderDays { get; init; } = [7, 3, 1];

    /// <summary>Hour (UTC) at which deadline reminders and the overdue flag fire.</summary>
    public int ReminderHourUtc { get; init; } = 8;

    /// <summary>When a manual source's owner is reminded of a task they have not answered.</summary>
    public TimeSpan AwaitedAnswerReminderAfter { get; init; } = TimeSpan.FromDays(3);

    /// <summary>How long a manual owner or a system that answers by callback has before the step counts as failed.</summary>
    public TimeSpan AwaitedAnswerTimeout { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How long before a restriction is lifted the person is told (Art. 18(3)).</summary>
    public TimeSpan RestrictionLiftNotice { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How long the download link of an export works; the file is deleted when it expires.</summary>
    public TimeSpan ExportLinkLifetime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>When true, a request with an account reference is only approved once a source matched it.</summary>
    public bool RequireAccountMatch { get; init; }

    /// <summary>How sure of the requester's identity each right must make us, and what happens when a request falls short.</summary>
    public Verification.VerificationPolicy Verification { get; init; } = Core.Verification.VerificationPolicy.Default;

    /// <summary>Benchmarks only: approve as soon as discovery finishes (audited as "system:auto-approve").</summary>
    public bool AutoApprove { get; init; }
}
