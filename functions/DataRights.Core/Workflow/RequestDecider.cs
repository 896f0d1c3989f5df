using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Deadlines;
using DataRights.Core.Events;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Verification;

namespace DataRights.Core.Workflow;

/// <summary>
/// The pure decider: <c>(request, event, context) -> decision</c>. No I/O, no clock, no random
/// numbers: time and the source list come in through <see cref="DecisionContext"/>. Replaying an
/// event that was already applied is ignored, so every delivery may happen twice.
/// </summary>
public static class RequestDecider
{
    public static Decision Decide(DataSubjectRequest request, WorkflowEvent e, DecisionContext context)
    {
        var b = new Builder(request, context, e.Actor);
        return e switch
        {
            RequestSubmitted => Start(b),
            IdentityVerified v => Verify(b, v),
            VerificationResendRequested => Resend(b),
            TimerElapsed t => Timer(b, t),
            SourceDiscovered d => Discovered(b, d.SourceKey, d.Round, d.Findings, null),
            SourceDiscoveryFailed f => Discovered(b, f.SourceKey, f.Round, null, f.Error),
            ApprovalGranted a => Approve(b, a),
            RequestRejected r => Reject(b, r),
            InformationRequested i => AskForInformation(b, i),
            InformationProvided p => InformationArrived(b, p),
            RepeatSubmitted x => Repeated(b, x),
            SourceExecuted x => Executed(b, x.SourceKey, x.Round, x.Outcome, null),
            SourceExecutionFailed xf => Executed(b, xf.SourceKey, xf.Round, null, xf.Error),
            SourceAnswerAwaited a => Awaited(b, a),
            ExportBuilt x => ExportReady(b, x),
            ExportCopiesMissing m => CopyAgain(b, m),
            ExportDownloaded x => Downloaded(b, x),
            ExportDeleted => ExportGone(b),
            SuppressionRecorded x => Suppressed(b, x),
            RestrictionLiftRequested x => ScheduleLift(b, x),
            RestrictionLifted x => Lifted(b, x),
            RecipientsNotified x => Notified(b, x),
            DeadlineExtended d => Extend(b, d),
            RetryRequested => Retry(b),
            WorkCarriedOut w => CarriedOut(b, w),
            WorkDeadLettered w => DeadLettered(b, w),
            WorkflowRestarted w => Restarted(b, w),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown workflow event."),
        };
    }

    private static Decision Start(Builder b)
    {
        if (b.Request.Status != RequestStatus.Received)
        {
            return b.Ignore("The request has already started.");
        }

        b.Publish(RequestEventNames.Received, "1", previous: null, at: b.Request.ReceivedAt);
        b.MoveTo(RequestStatus.AwaitingVerification, "verification.requested");
        if (b.Context.Regime.PausesForVerification)
        {
            b.PauseClock("identity verification");
        }

        b.Update(p => p with { VerificationEmailsSent = 1, VerificationSentAt = b.Context.Now, LinkEmailsSentAt = LinkEmailSent(p, b.Context.Now) });
        b.Send(MessageKind.Verification, "1");
        b.SetTimer(TimerKind.VerificationReminder, "1", b.Context.Now + b.Context.Settings.VerificationReminderAfter);
        b.SetTimer(TimerKind.VerificationExpiry, "1", b.Context.Now + b.Context.Settings.VerificationExpiresAfter);

        // While the clock stands still the due date is provisional: its reminders are set when it runs again.
        if (!StatutoryClock.IsPaused(b.Request.Progress))
        {
            b.ScheduleDeadlineTimers();
        }

        return b.Done();
    }

    private static Decision Verify(Builder b, IdentityVerified v)
    {
        var r = b.Request;
        if (v.LinkNonce is not null && r.Progress.UsedLinkNonces.Contains(v.LinkNonce))
        {
            return b.Refuse("This link has already been used.");
        }

        if (r.Status != RequestStatus.AwaitingVerification)
        {
            return r.Progress.VerifiedAt is not null
                ? b.Ignore("Identity is already verified.")
                : b.Refuse($"This request is {Describe(r.Status)} and can no longer be verified.");
        }

        if (v.Step is { } step && !IsCurrent(r, step))
        {
            // A link from the first round, once the person was asked for their details again.
            return b.Refuse(StaleLink);
        }

        var level = b.Context.Settings.Verification.For(r.Jurisdiction, r.Type);
        var byStaff = v.Method == IdentityVerified.ByStaff;

        // Details given with the submission count as given now, unless the page took new ones.
        if (!byStaff && v.DataPoints.Count == 0 && r.DataPoints is { Count: > 0 } stored)
        {
            v = v with { DataPoints = stored };
        }

        var attempt = (r.Progress.Identity?.Attempts ?? 0) + 1;
        if (level.NeedsMoreThanEmail && Unproven(b, v, level, byStaff, attempt) is { } refused)
        {
            return refused;
        }

        b.Update(p => p with
        {
            VerifiedAt = b.Context.Now,
            VerifiedBy = v.Method,
            UsedLinkNonces = WithNonce(p, v.LinkNonce),
        });
        if (v.Reason is null)
        {
            b.MoveTo(RequestStatus.Verified, "identity.verified", ("method", v.Method));
        }
        else
        {
            b.MoveTo(RequestStatus.Verified, "identity.verified", ("method", v.Method), ("reason", v.Reason));
        }
        if (level.NeedsMoreThanEmail)
        {
            RecordEvidence(b, v, level, byStaff, attempt);
        }

        b.ResumeClock();
        StartDiscovery(b);
        return b.Done();
    }

    /// <summary>Why the evidence falls short of what the level asks (the pages ask for exactly that, so this guards the API).</summary>
    private static Decision? Unproven(Builder b, IdentityVerified v, VerificationLevel level, bool byStaff, int attempt)
    {
        if (byStaff)
        {
            return string.IsNullOrWhiteSpace(v.Reason)
                ? b.Refuse($"This request needs {level.Describe()}. To verify the requester by hand instead, say why you are satisfied that they are who they say they are.")
                : null;
        }

        var policy = b.Context.Settings.Verification;
        return attempt > policy.MaxAttempts ? b.Refuse("We cannot take your details again for this request. Please contact us.")
            : v.DataPoints.Select(d => d.Name).Distinct(StringComparer.Ordinal).Count() < level.DataPoints
                ? b.Refuse($"Please give at least {Count(level.DataPoints)} of the details we ask for.")
            : level.Declaration && v.Declaration is null ? b.Refuse("Please sign the declaration by ticking it and typing your full name.")
            : null;
    }

    /// <summary>
    /// Keeps what the requester gave until discovery has matched it: the values with the request (for the connectors),
    /// their names, keyed hashes and the declaration in the progress and the audit trail. Staff give a reason instead.
    /// </summary>
    private static void RecordEvidence(Builder b, IdentityVerified v, VerificationLevel level, bool byStaff, int attempt)
    {
        if (byStaff)
        {
            b.Update(p => p with { Identity = (p.Identity ?? new IdentityCheck()) with { Required = level.DataPoints, Outcome = IdentityCheckOutcome.ByStaff, StaffReason = v.Reason } });
            b.SetDataPoints(null);
            b.Note("verification.by_staff", ("reason", v.Reason), ("level", level.Describe()));
            return;
        }

        var given = v.DataPoints.DistinctBy(d => d.Name, StringComparer.Ordinal).ToList();
        b.Update(p => p with
        {
            Identity = new IdentityCheck
            {
                Required = level.DataPoints,
                Attempts = attempt,
                Given = [.. given.Select(d => d.Name)],
                Declaration = v.Declaration,
                Outcome = level.DataPoints > 0 ? IdentityCheckOutcome.Pending : IdentityCheckOutcome.Passed,
            },
        });
        b.SetDataPoints(level.DataPoints > 0 ? given : null);
        if (given.Count > 0)
        {
            b.Note(
                "verification.details_given",
                ("attempt", Count(attempt)),
                ("required", Count(level.DataPoints)),
                ("given", Count(given.Count)),
                ("dataPoints", string.Join(",", given.Select(d => d.Name))),
                ("hashes", string.Join("; ", given.Select(d => $"{d.Name}={d.Hash}"))));
        }

        if (v.Declaration is { } declaration)
        {
            b.Note("verification.declaration_signed", ("declaration", declaration.Text), ("signedAs", declaration.SignedAs), ("signedAt", declaration.At.ToString("O", CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>
    /// Discovery has answered from every source: where the requester's details wait to be matched, counts how many
    /// matched our records anywhere and applies the level, or its fallback; then the approval gate.
    /// </summary>
    private static void DiscoveryFinished(Builder b)
    {
        var r = b.Request;
        if (r.Progress.Identity is not { Outcome: IdentityCheckOutcome.Pending } check)
        {
            EnterApproval(b);
            return;
        }

        var policy = b.Context.Settings.Verification;
        var given = check.Given.ToHashSet(StringComparer.Ordinal);
        var matched = r.Progress.Sources.SelectMany(s => s.Findings?.MatchedDataPoints ?? []).Where(given.Contains).Distinct(StringComparer.Ordinal).Count();
        var outcome = matched >= check.Required ? IdentityCheckOutcome.Passed
            : VerificationPolicy.FollowsCcpa(r.Jurisdiction)
                ? ProducesExport(r.Type) && matched >= policy.CategoriesDataPoints ? IdentityCheckOutcome.Categories : IdentityCheckOutcome.Failed
            : check.Attempts < policy.MaxAttempts ? IdentityCheckOutcome.AskedAgain : IdentityCheckOutcome.Failed;

        // A source that could not be searched may hold the details that fell short: the match is not decided yet, and
        // every source is searched again after a wait (the values stay for it), up to the policy's number of times.
        var unsearched = r.Progress.Sources.Where(s => s.Discovery == StepState.Failed).Select(s => s.Key).ToList();
        if (outcome != IdentityCheckOutcome.Passed && unsearched.Count > 0 && check.SearchedAgain < policy.SearchesAgain)
        {
            var at = b.Context.Now + policy.SearchAgainAfter;
            b.Update(p => p with { Identity = check with { SearchedAgain = check.SearchedAgain + 1 } });
            b.Note("verification.search_again", ("unsearched", string.Join(",", unsearched)), ("required", Count(check.Required)), ("matched", Count(matched)),
                ("time", Count(check.SearchedAgain + 1)), ("searchAt", at.ToString("O", CultureInfo.InvariantCulture)));
            b.SetTimer(TimerKind.SearchAgain, Count(r.Progress.DiscoveryRound), at);
            return;
        }

        // The values were needed for matching only: they go now, whatever the outcome.
        b.SetDataPoints(null);
        b.Update(p => p with { Identity = check with { Matched = matched, Outcome = outcome, AskedAgainAt = outcome == IdentityCheckOutcome.AskedAgain ? b.Context.Now : check.AskedAgainAt } });
        b.Note("verification.checked", ("required", Count(check.Required)), ("given", Count(given.Count)), ("matched", Count(matched)), ("outcome", Kebab.Of(outcome)));
        switch (outcome)
        {
            case IdentityCheckOutcome.AskedAgain:
                var round = Count(check.Attempts + 1);
                b.MoveTo(RequestStatus.AwaitingVerification, "verification.details_requested_again", ("attempt", round));
                if (b.Context.Regime.PausesForVerification)
                {
                    b.PauseClock("identity verification");
                }

                b.Update(p => p with { VerificationEmailsSent = p.VerificationEmailsSent + 1, VerificationSentAt = b.Context.Now });
                b.Send(MessageKind.VerificationNotMatched, round);
                b.SetTimer(TimerKind.VerificationReminder, round, b.Context.Now + b.Context.Settings.VerificationReminderAfter);
                b.SetTimer(TimerKind.VerificationExpiry, round, b.Context.Now + b.Context.Settings.VerificationExpiresAfter);
                return;
            case IdentityCheckOutcome.Failed:
                b.Update(p => p with { Rejection = RejectionReason.InsufficientVerification, RejectionNote = NotVerified(r, check.Attempts, unsearched.Count > 0) });
                b.MoveTo(RequestStatus.Rejected, "request.rejected", ("reason", RejectionReason.InsufficientVerification.Name()));
                b.Send(MessageKind.Rejection, "1");
                return;
            default:
                EnterApproval(b);
                return;
        }
    }

    /// <summary>
    /// Why a request whose details did not match is refused, in plain words; never which details matched. When a source
    /// still could not be searched after the searches again, the person is told so: the refusal may be ours, not theirs.
    /// </summary>
    private static string NotVerified(DataSubjectRequest r, int attempts, bool unsearched) =>
        NotVerified(r, attempts) + (unsearched
            ? " One of our systems could not be searched, also when we tried again over the following hours, so details it holds could not be matched; if you send a new request later, we will search it again."
            : string.Empty);

    private static string NotVerified(DataSubjectRequest r, int attempts) =>
        !VerificationPolicy.FollowsCcpa(r.Jurisdiction)
            ? $"We could not confirm that you are the person this request is about: the details you gave did not match the records we hold{(attempts > 1 ? ", also when we asked for them again" : string.Empty)}. We do not disclose, change or erase personal data until we are sure whose it is."
            : ProducesExport(r.Type)
                ? "We could not verify your identity to the degree the law requires before we disclose personal information, not even the categories of personal information we hold: not enough of the details you gave matched the records we hold. Our privacy notice describes the categories of personal information we collect and why. You may send a new request with other details."
                : $"We could not verify your identity to the degree the law requires before we {(r.Type == RequestType.Erasure ? "delete" : "change")} personal information: not enough of the details you gave matched the records we hold. We have not changed any of your data. You may send a new request with other details.";

    /// <summary>The verification round a request waits in: 1, then 2 once asked for its details again.</summary>
    public static int VerificationRoundOf(DataSubjectRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return r.Progress.Identity is { Outcome: IdentityCheckOutcome.AskedAgain } asked ? asked.Attempts + 1 : 1;
    }

    private static string VerificationRound(DataSubjectRequest r) => Count(VerificationRoundOf(r));

    private static void StartDiscovery(Builder b)
    {
        var round = b.Request.Progress.DiscoveryRound + 1;
        var sources = b.Context.ActiveSources
            .Select(s => new SourceProgress { Key = s.Key, DisplayName = s.DisplayName, Access = s.Access, HasRecipients = s.HasRecipients, Discovery = StepState.Pending })
            .ToList();
        b.Update(p => p with { DiscoveryRound = round, Sources = sources });
        b.MoveTo(RequestStatus.Discovering, "discovery.started", ("sources", Count(sources.Count)), ("round", Count(round)));
        // Each source's search is a step the orchestration runs from the stage (StepsToRun), not a work item.
        if (sources.Count == 0)
        {
            DiscoveryFinished(b);
        }
    }

    /// <summary>
    /// The search again after a shortfall while a source could not be searched: a new round of the sources that could
    /// not be searched (and any registered since), each searched again; what the others found stands.
    /// </summary>
    private static void SearchAgain(Builder b)
    {
        var round = b.Request.Progress.DiscoveryRound + 1;
        var known = b.Request.Progress.Sources.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var again = b.Context.ActiveSources
            .Where(s => !known.Contains(s.Key) || b.Request.Progress.Source(s.Key) is { Discovery: StepState.Failed })
            .Select(s => new SourceProgress { Key = s.Key, DisplayName = s.DisplayName, Access = s.Access, HasRecipients = s.HasRecipients, Discovery = StepState.Pending })
            .ToList();
        var searchedAgain = again.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);

        // A source that could not be searched and is no longer registered has nothing to search: it stays as it was.
        var sources = b.Request.Progress.Sources.Select(s => searchedAgain.Contains(s.Key) ? again.First(a => a.Key == s.Key) : s)
            .Concat(again.Where(a => !known.Contains(a.Key)))
            .ToList();
        b.Update(p => p with { DiscoveryRound = round, Sources = sources });
        b.Note("discovery.started", ("sources", Count(again.Count)), ("round", Count(round)), ("searchedAgain", string.Join(",", again.Select(s => s.Key))));
        if (again.Count == 0)
        {
            DiscoveryFinished(b);
        }
    }

    private static Decision Resend(Builder b)
    {
        var r = b.Request;
        var s = b.Context.Settings;
        if (r.Status != RequestStatus.AwaitingVerification)
        {
            return b.Refuse($"This request is {Describe(r.Status)}: there is nothing to verify.");
        }

        if (r.Progress.VerificationEmailsSent >= s.MaxVerificationEmails)
        {
            return b.Refuse("We have already sent the most verification emails we can for this request. Please contact us.");
        }

        if (r.Progress.VerificationSentAt is { } last && b.Context.Now - last < s.VerificationResendInterval)
        {
            return b.Refuse("We sent a verification email a few minutes ago. Please check your inbox and spam folder, or try again shortly.");
        }

        if (LinkEmailWait(r.Progress, b.Context.Now, s) is not null)
        {
            return b.Refuse(DailyLinkEmailLimit(s));
        }

        ResendVerification(b, "verification.resent");
        return b.Done();
    }

    private static void ResendVerification(Builder b, string action, RequestType? alsoAsked = null)
    {
        var n = b.Request.Progress.VerificationEmailsSent + 1;
        b.Update(p => p with { VerificationEmailsSent = n, VerificationSentAt = b.Context.Now, LinkEmailsSentAt = LinkEmailSent(p, b.Context.Now) });
        if (alsoAsked is { } other)
        {
            // Another right was asked for: the email says that request was not registered (its key names the right).
            b.Note(action, ("count", Count(n)), ("asked", other.Name()));
            b.Send(MessageKind.Verification, VerificationKey(n, other));
            return;
        }

        b.Note(action, ("count", Count(n)));
        b.Send(MessageKind.Verification, Count(n));
    }

    /// <summary>
    /// The key of the <paramref name="n"/>th verification email, sent again because a submission for the address asked for
    /// <paramref name="alsoAsked"/> while this request waited: <c>{n}-{right}</c> (<see cref="AlsoAskedIn"/> reads it back).
    /// </summary>
    public static string VerificationKey(int n, RequestType alsoAsked) => $"{Count(n)}-{alsoAsked.Name()}";

    /// <summary>The other right a verification email's <paramref name="key"/> names (<see cref="VerificationKey"/>); null for a plain one.</summary>
    public static RequestType? AlsoAskedIn(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var dash = key.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && WireNames.TryParseType(key[(dash + 1)..], out var type) ? type : null;
    }

    /// <summary>
    /// A repeat submission: the person is emailed the request's link (the verification link while it waits for them, else
    /// the status link), within the daily limit and never twice within the resend interval. Whoever submitted learns
    /// nothing from it: intake answers them without the link either way.
    /// </summary>
    private static Decision Repeated(Builder b, RepeatSubmitted e)
    {
        var r = b.Request;
        var s = b.Context.Settings;
        if (LinkEmailWait(r.Progress, b.Context.Now, s) is not null)
        {
            return b.Refuse(DailyLinkEmailLimit(s));
        }

        if (r.Progress.LinkEmailsSentAt.Count > 0 && b.Context.Now - r.Progress.LinkEmailsSentAt.Max() < s.VerificationResendInterval)
        {
            return b.Refuse("We emailed the link to this request a few minutes ago. Please check the inbox and spam folder of the address on the request.");
        }

        if (r.Status == RequestStatus.AwaitingVerification)
        {
            if (r.Progress.VerificationEmailsSent >= s.MaxVerificationEmails)
            {
                return b.Refuse("We have already sent the most confirmation emails we can for this request. Please contact us.");
            }

            ResendVerification(b, "verification.resent_on_repeat", e.Type is { } asked && asked != r.Type ? asked : null);
            return b.Done();
        }

        var n = r.Progress.Sent.Count(k => k.StartsWith(StatusLinkKey, StringComparison.Ordinal)) + 1;
        b.Remember(StatusLinkKey + Count(n));
        b.Update(p => p with { LinkEmailsSentAt = LinkEmailSent(p, b.Context.Now) });
        b.Note("status_link.resent_on_repeat", ("count", Count(n)));
        b.Send(MessageKind.StatusLink, Count(n));
        return b.Done();
    }

    private const string StatusLinkKey = "status-link:";

    /// <summary>
    /// Null while another email with the request's link may be sent now; otherwise how long until one may (the oldest
    /// of the last day's <see cref="WorkflowSettings.LinkEmailsPerDay"/> emails turns a day old).
    /// </summary>
    public static TimeSpan? LinkEmailWait(RequestProgress progress, DateTimeOffset now, WorkflowSettings settings)
    {
        var recent = progress.LinkEmailsSentAt.Where(at => now - at < LinkEmailWindow).Order().ToList();
        return recent.Count < settings.LinkEmailsPerDay ? null : recent[^settings.LinkEmailsPerDay] + LinkEmailWindow - now;
    }

    private static readonly TimeSpan LinkEmailWindow = TimeSpan.FromDays(1);

    private static string DailyLinkEmailLimit(WorkflowSettings s) =>
        $"We have already emailed the link to this request {Count(s.LinkEmailsPerDay)} times in the last 24 hours, the most we send in a day. Please use the link in one of those emails, or try again tomorrow.";

    /// <summary>The last day's link emails and this one (older ones are dropped: the limit looks back one day).</summary>
    private static IReadOnlyList<DateTimeOffset> LinkEmailSent(RequestProgress p, DateTimeOffset now) =>
        [.. p.LinkEmailsSentAt.Where(at => now - at < LinkEmailWindow), now];

    private static Decision Timer(Builder b, TimerElapsed t)
    {
        var r = b.Request;
        var key = $"timer:{Kebab.Of(t.Kind)}:{t.Tag}";
        if (r.Progress.Sent.Contains(key) || (RequestLifecycle.IsFinal(r.Status) && !TimerWork.OutlivesTheClose(t.Kind)))
        {
            return b.Ignore("Nothing to do for this timer.");
        }

        switch (t.Kind)
        {
            case TimerKind.VerificationReminder when r.Status == RequestStatus.AwaitingVerification && t.Tag == VerificationRound(r):
                b.Remember(key);
                b.Note("verification.reminded");
                b.Send(MessageKind.VerificationReminder, t.Tag);
                return b.Done();
            case TimerKind.VerificationExpiry when r.Status == RequestStatus.AwaitingVerification && t.Tag == VerificationRound(r):
                b.Remember(key);
                b.MoveTo(RequestStatus.Expired, "request.expired");
                b.Send(MessageKind.VerificationExpired, t.Tag);
                return b.Done();
            case TimerKind.ApprovalReminder when r.Status == RequestStatus.AwaitingApproval && t.Tag == Count(r.Progress.ApprovalRound):
                return SendForRound(b, key, "approval.reminded", MessageKind.ApprovalReminder, t.Tag);
            case TimerKind.ApprovalEscalation when r.Status == RequestStatus.AwaitingApproval && t.Tag == Count(r.Progress.ApprovalRound):
                return SendForRound(b, key, "approval.escalated", MessageKind.ApprovalEscalation, t.Tag);
            case TimerKind.InformationReminder when r.Status == RequestStatus.AwaitingInformation && t.Tag == Count(r.Progress.ApprovalRound):
                return SendForRound(b, key, "information.reminded", MessageKind.InformationReminder, t.Tag);
            case TimerKind.InformationUnanswered when r.Status == RequestStatus.AwaitingInformation && t.Tag == Count(r.Progress.ApprovalRound):
                return SendForRound(b, key, "information.unanswered", MessageKind.StaffInformationUnanswered, t.Tag);
            case TimerKind.SearchAgain when SearchesAgainIn(r, t.Tag):
                b.Remember(key);
                SearchAgain(b);
                return b.Done();
            case TimerKind.DeadlineReminder when IsCurrentDue(r, t.Tag) && !StatutoryClock.IsPaused(r.Progress):
                b.Remember(key);
                b.Note("deadline.reminded", ("reminder", t.Tag));
                b.Send(MessageKind.StaffDeadlineReminder, t.Tag);
                return b.Done();
            case TimerKind.Overdue when IsCurrentDue(r, t.Tag) && !StatutoryClock.IsPaused(r.Progress):
                b.Remember(key);
                b.Update(p => p with { Overdue = true });
                b.Note("request.overdue", ("dueOn", Date(r.Deadline.DueOn)));
                b.Publish(RequestEventNames.Overdue, t.Tag);
                b.Send(MessageKind.StaffOverdue, t.Tag);
                return b.Done();
            case TimerKind.RestrictionLift when r.Progress.Restriction is { LiftAt: not null, LiftedAt: null }:
                b.Remember(key);
                b.Note("restriction.lifting");
                b.Effect(new LiftRestriction($"{r.Id}:unrestrict:{t.Tag}", b.Context.Now));
                return b.Done();
            case TimerKind.AnswerReminder when AwaitedStep(r, t.Tag) is { } step:
                b.Remember(key);
                b.Note("source.task_reminded", ("source", step.Source), ("step", Kebab.Of(step.Step)), ("round", Count(step.Round)));
                b.Send(MessageKind.ManualTask, t.Tag + ".reminder");
                return b.Done();
            case TimerKind.AnswerOverdue when AwaitedStep(r, t.Tag) is { } step:
                b.Remember(key);
                var error = OwnLimit(t.Tag) is { } within
                    ? $"The source did not answer within {Duration(within)}, its own time limit. For an on-premises agent: nothing picked the command up or answered it; check the agent is running and can reach its queue and this pipeline's address."
                    : $"The source did not answer within {Count((int)b.Context.Settings.AwaitedAnswerTimeout.TotalDays)} days of taking the step on.";
                return step.Step == SourceStep.Discover
                    ? Discovered(b, step.Source, step.Round, null, error)
                    : Executed(b, step.Source, step.Round, null, error);
            default:
                return b.Ignore("The timer no longer applies.");
        }
    }

    private static Decision Awaited(Builder b, SourceAnswerAwaited a)
    {
        var tag = StepTag(a.Step, a.SourceKey, a.Round);
        var key = "awaited:" + tag;
        if (!IsOpenStep(b.Request, a.Step, a.SourceKey, a.Round) || b.Request.Progress.Sent.Contains(key))
        {
            return b.Ignore("This step is no longer waiting, or is already waiting for its answer.");
        }

        var limit = b.Context.Now + (a.AnswerWithin ?? b.Context.Settings.AwaitedAnswerTimeout);
        b.Remember(key);
        b.Note("source.answer_awaited", ("source", a.SourceKey), ("step", Kebab.Of(a.Step)), ("round", Count(a.Round)), ("answerBy", limit.ToString("O", CultureInfo.InvariantCulture)));
        if (a.RemindOwner)
        {
            b.SetTimer(TimerKind.AnswerReminder, tag, b.Context.Now + b.Context.Settings.AwaitedAnswerReminderAfter);
        }

        // A source's own limit rides on the timer's tag (after the round), so the failure can say what it was.
        b.SetTimer(TimerKind.AnswerOverdue, a.AnswerWithin is { } within ? $"{tag}.{Count((int)within.TotalSeconds)}s" : tag, limit);
        return b.Done();
    }

    /// <summary>The source's own time limit carried by an overdue timer's tag (<c>discover.hr.1.3600s</c>); null for the pipeline's.</summary>
    private static TimeSpan? OwnLimit(string tag) =>
        tag.Split('.') is [_, _, _, var limit] && limit.EndsWith('s')
            && int.TryParse(limit[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

    /// <summary>A time limit in plain words: "2 hours", "45 minutes", "3 days".</summary>
    private static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? Plural((int)span.TotalDays, "day")
        : span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? Plural((int)span.TotalHours, "hour")
        : Plural((int)Math.Ceiling(span.TotalMinutes), "minute");

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{Count(n)} {unit}s";

    /// <summary>The tag naming one source step: <c>discover.crm.1</c>. Source keys have no dots.</summary>
    public static string StepTag(SourceStep step, string sourceKey, int round) => $"{Kebab.Of(step)}.{sourceKey}.{Count(round)}";

    /// <summary>Reads a <see cref="StepTag"/> (a reminder's message key may add a suffix after the round).</summary>
    public static (SourceStep Step, string Source, int Round)? ParseStepTag(string tag) =>
        tag.Split('.') is [var step, var source, var round, ..] && Kebab.TryParse<SourceStep>(step, out var s)
            && int.TryParse(round, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? (s, source, n)
            : null;

    /// <summary>
    /// Whether <paramref name="r"/> waits to search its sources again in the discovery round <paramref name="tag"/> names:
    /// its details' match undecided because a source could not be searched, every source answered.
    /// </summary>
    public static bool SearchesAgainIn(DataSubjectRequest r, string tag)
    {
        ArgumentNullException.ThrowIfNull(r);
        return r.Status == RequestStatus.Discovering && tag == Count(r.Progress.DiscoveryRound)
            && r.Progress.Identity is { Outcome: IdentityCheckOutcome.Pending } && r.Progress.Sources.All(s => s.Discovery != StepState.Pending);
    }

    /// <summary>Whether the source step an awaited answer's timer tag names (<c>execute.crm.1</c>) still waits for its answer.</summary>
    public static bool AwaitsAnswer(DataSubjectRequest r, string tag)
    {
        ArgumentNullException.ThrowIfNull(r);
        return AwaitedStep(r, tag) is not null;
    }

    private static (SourceStep Step, string Source, int Round)? AwaitedStep(DataSubjectRequest r, string tag) =>
        ParseStepTag(tag) is { } step && IsOpenStep(r, step.Step, step.Source, step.Round) ? step : null;

    /// <summary>
    /// The source steps <paramref name="r"/> waits to have run: while it is being searched, each source whose search of
    /// the current round is pending; while it is being carried out, each source whose step of its round is pending;
    /// none whose answer the source takes on to give later (it is awaited, not run again). Its orchestration runs each
    /// (<see cref="RequestStage.Steps"/>).
    /// </summary>
    public static IReadOnlyList<PendingSourceStep> StepsToRun(DataSubjectRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        IEnumerable<PendingSourceStep> steps = r.Status switch
        {
            RequestStatus.Discovering => r.Progress.Sources.Where(s => s.Discovery == StepState.Pending)
                .Select(s => new PendingSourceStep(SourceStep.Discover, s.Key, r.Progress.DiscoveryRound)),
            RequestStatus.Executing => r.Progress.Sources.Where(s => s.Execution == StepState.Pending)
                .Select(s => new PendingSourceStep(SourceStep.Execute, s.Key, s.ExecutionRound)),
            _ => [],
        };
        return [.. steps.Where(step => !r.Progress.Sent.Contains("awaited:" + step.Tag))];
    }

    /// <summary>Whether this source step of the current round still waits for its answer.</summary>
    public static bool IsOpenStep(DataSubjectRequest r, SourceStep step, string sourceKey, int round) =>
        r.Progress.Source(sourceKey) is { } s && (step == SourceStep.Discover
            ? r.Status == RequestStatus.Discovering && r.Progress.DiscoveryRound == round && s.Discovery == StepState.Pending
            : r.Status == RequestStatus.Executing && s.ExecutionRound == round && s.Execution == StepState.Pending);

    private static Decision Discovered(Builder b, string sourceKey, int round, DiscoveryFindings? findings, string? error)
    {
        var r = b.Request;
        var source = r.Progress.Source(sourceKey);
        if (r.Status != RequestStatus.Discovering || round != r.Progress.DiscoveryRound || source is not { Discovery: StepState.Pending })
        {
            return b.Ignore("This discovery result is stale or already recorded.");
        }

        b.UpdateSource(sourceKey, s => findings is not null
            ? s with { Discovery = StepState.Succeeded, Findings = findings, DiscoveryError = null }
            : s with { Discovery = StepState.Failed, DiscoveryError = error });
        if (findings is not null)
        {
            b.Note("source.discovered", ("source", sourceKey), ("records", Count(findings.RecordCount)), ("categories", string.Join(",", findings.Categories)));
        }
        else
        {
            b.Note("source.discovery_failed", ("source", sourceKey), ("error", error));
        }

        if (b.Request.Progress.Sources.All(s => s.Discovery != StepState.Pending))
        {
            DiscoveryFinished(b);
        }

        return b.Done();
    }

    private static void EnterApproval(Builder b)
    {
        var round = b.Request.Progress.ApprovalRound + 1;
        var sources = b.Request.Progress.Sources;
        b.Update(p => p with { ApprovalRound = round });
        b.MoveTo(
            RequestStatus.AwaitingApproval,
            "approval.requested",
            ("round", Count(round)),
            ("sourcesWithData", Count(sources.Count(s => s.Findings?.RecordCount > 0))),
            ("sourcesFailed", Count(sources.Count(s => s.Discovery == StepState.Failed))),
            ("records", Count(sources.Sum(s => s.Findings?.RecordCount ?? 0))));
        if (b.Context.Settings.AutoApprove && AccountCheckPasses(b.Request, b.Context.Settings))
        {
            b.Update(p => p with { Approval = new ApprovalRecord("approved", "system:auto-approve", b.Context.Now, "benchmark mode") });
            b.MoveTo(RequestStatus.Executing, "approval.granted", ("round", Count(round)), ("by", "system:auto-approve"));
            StartExecution(b, ExecutionScope(b.Request));
            return;
        }

        b.Send(MessageKind.ApprovalRequest, Count(round));
        b.SetTimer(TimerKind.ApprovalReminder, Count(round), b.Context.Now + b.Context.Settings.ApprovalReminderAfter);
        b.SetTimer(TimerKind.ApprovalEscalation, Count(round), b.Context.Now + b.Context.Settings.ApprovalEscalationAfter);
    }

    private static Decision Approve(Builder b, ApprovalGranted a)
    {
        var r = b.Request;
        if (RefuseUnlessDecidable(b, a.LinkNonce, a.Step) is { } refused)
        {
            return refused;
        }

        if (!AccountCheckPasses(r, b.Context.Settings))
        {
            return b.Refuse("The account reference the requester gave matches no record we found. Ask them for more information, or reject the request.");
        }

        var instructions = a.Instructions;
        if (r.Type == RequestType.Rectification && instructions is not { Corrections.Count: > 0 })
        {
            return b.Refuse("Say what to correct: each detail (name, email, phone or address) and what it should say.");
        }

        if (instructions?.Problems() is { Count: > 0 } problems)
        {
            return b.Refuse(string.Join(" ", problems.Select(p => $"{p.Key}: {p.Value}")));
        }

        // Instructions belong to their kind of request: an objection's scope on an access request would add the person to
        // the suppression list, which no erasure removes; corrections elsewhere would be recorded as approved but never made.
        if (instructions is { Corrections.Count: > 0 } && r.Type != RequestType.Rectification)
        {
            return b.Refuse($"corrections: only a request to correct data takes corrections; this is {Describe(r.Type)}.");
        }

        if (instructions?.Objection is not null && r.Type != RequestType.Objection)
        {
            return b.Refuse($"objection: only an objection takes what it is to; this is {Describe(r.Type)}.");
        }

        if (r.Type == RequestType.Objection)
        {
            instructions = (instructions ?? new ActionInstructions()) with { Objection = instructions?.Objection ?? ObjectionScope.DirectMarketing };
        }

        b.Update(p => p with
        {
            Approval = new ApprovalRecord("approved", a.Actor, b.Context.Now, a.Note, instructions),
            UsedLinkNonces = WithNonce(p, a.LinkNonce),
        });
        b.MoveTo(RequestStatus.Executing, "approval.granted", ("round", Count(r.Progress.ApprovalRound)),
            ("corrections", instructions is { Corrections.Count: > 0 } ? string.Join(",", instructions.Corrections.Select(c => c.Field)) : null),
            ("objection", instructions?.Objection is { } scope ? Kebab.Of(scope) : null));

        // An objection to direct marketing is always honoured: the suppression entry outlives any erasure.
        if (instructions?.Objection == ObjectionScope.DirectMarketing)
        {
            b.Effect(new AddSuppression($"{r.Id}:suppress:1", b.Context.Now));
        }

        StartExecution(b, ExecutionScope(r));
        return b.Done();
    }

    /// <summary>
    /// The sources approval sets to work: those that found records (and those that failed, to try again); none when a
    /// Californian request for specific pieces is answered with categories only.
    /// </summary>
    private static Func<SourceProgress, bool> ExecutionScope(DataSubjectRequest r) =>
        AnsweredWithCategories(r) ? _ => false : s => s.Discovery == StepState.Failed || s.Findings?.RecordCount > 0;

    /// <summary>Whether the request is answered with the categories of data held instead of a copy (CCPA §7062(e)).</summary>
    public static bool AnsweredWithCategories(DataSubjectRequest r) => r.Progress.Identity?.Outcome == IdentityCheckOutcome.Categories;

    private static void StartExecution(Builder b, Func<SourceProgress, bool> include)
    {
        var changes = ChangesData(b.Request.Type);
        foreach (var source in b.Request.Progress.Sources.Where(include))
        {
            if (changes && source.Access == SourceAccess.Read)
            {
                b.UpdateSource(source.Key, s => s with { Execution = StepState.NotRequired, ExecutionError = null });
                b.Note("source.skipped_read_only", ("source", source.Key));
                continue;
            }

            var round = source.ExecutionRound + 1;
            // Carried out by a step the orchestration runs from the stage (StepsToRun), not a work item.
            b.UpdateSource(source.Key, s => s with { Execution = StepState.Pending, ExecutionRound = round, ExecutionError = null });
        }

        FinishExecutionIfDone(b);
    }

    private static Decision Executed(Builder b, string sourceKey, int round, ExecutionOutcome? outcome, string? error)
    {
        var r = b.Request;
        var source = r.Progress.Source(sourceKey);
        if (r.Status != RequestStatus.Executing || source is not { Execution: StepState.Pending } || source.ExecutionRound != round)
        {
            return b.Ignore("This execution result is stale or already recorded.");
        }

        b.UpdateSource(sourceKey, s => outcome is not null
            ? s with { Execution = StepState.Succeeded, Outcome = outcome, ExecutionError = null }
            : s with { Execution = StepState.Failed, ExecutionError = error });
        if (outcome is not null)
        {
            b.Note(
                "source.executed",
                ("source", sourceKey),
                ("action", r.Type.Name()),
                ("erased", Count(outcome.Erased)),
                ("masked", Count(outcome.Masked)),
                ("exported", Count(outcome.Exported)),
                ("corrected", Count(outcome.Corrected)),
                ("retained", Count(outcome.Retained.Sum(x => x.Count))),
                ("retainedBasis", string.Join("; ", outcome.Retained.Select(x => $"{x.Category}: {ErasureExceptions.Cite(x.LegalBasis, x.Ground, r.Jurisdiction)}").Distinct())),
                ("rediscovered", outcome.RemainingCategories is { } left ? (left.Count == 0 ? "nothing left" : "only retained: " + string.Join(",", left)) : null),
                ("goneBeforeThisAttempt", outcome.GoneBeforeThisAttempt is { } gone ? Count(gone) : null));
        }
        else
        {
            b.Note("source.execution_failed", ("source", sourceKey), ("error", error));
        }

        FinishExecutionIfDone(b);
        return b.Done();
    }

    private static void FinishExecutionIfDone(Builder b)
    {
        var sources = b.Request.Progress.Sources;
        if (sources.Any(s => s.Execution == StepState.Pending))
        {
            return;
        }

        if (sources.Any(s => s.Execution == StepState.Failed))
        {
            b.MoveTo(RequestStatus.Failed, "execution.failed", ("failedSources", string.Join(",", sources.Where(s => s.Execution == StepState.Failed).Select(s => s.Key))));
            b.Send(MessageKind.StaffFailure, "execution-" + Count(sources.Max(s => s.ExecutionRound)));
            return;
        }

        if (ProducesExport(b.Request.Type) && !AnsweredWithCategories(b.Request))
        {
            // The person's copy is assembled from what every source exported; completion follows once it is ready.
            var attempt = $"{Count(sources.Count == 0 ? 0 : sources.Max(s => s.ExecutionRound))}-{Count(b.Request.Progress.Alerts.Count)}";
            b.Note("export.building", ("sources", Count(sources.Count(s => s.Execution == StepState.Succeeded))), ("records", Count(sources.Sum(s => s.Outcome?.Exported ?? 0))));
            b.Effect(new BuildExport($"{b.Request.Id}:export:build:{attempt}", b.Context.Now));
            return;
        }

        b.MoveTo(RequestStatus.Completed, "request.completed");
        if (b.Request.Type == RequestType.Restriction)
        {
            b.Update(p => p with { Restriction = new RestrictionRecord(b.Context.Now) });
            b.Note("restriction.placed", ("records", Count(sources.Sum(s => s.Outcome?.Restricted ?? 0))));
        }

        b.Send(AnsweredWithCategories(b.Request) ? MessageKind.CategoriesAnswer : MessageKind.Completion, "1");

        // Art. 19: whoever the changed data was disclosed to is told of the change.
        if (TellsRecipients(b.Request.Type) && sources.Any(s => s.HasRecipients && s.Changed))
        {
            b.Send(MessageKind.RecipientNotice, "1");
        }
    }

    private static Decision Notified(Builder b, RecipientsNotified x)
    {
        if (b.Request.Progress.Sent.Contains("recipients-notified"))
        {
            return b.Ignore("Already recorded.");
        }

        b.Remember("recipients-notified");
        b.Note("recipients.notified", ("byEmail", Count(x.ByEmail)), ("byHand", Count(x.ByHand)));
        return b.Done();
    }

    private static Decision ScheduleLift(Builder b, RestrictionLiftRequested x)
    {
        if (b.Request.Progress.Restriction is not { LiftAt: null } restriction)
        {
            return b.Refuse(b.Request.Progress.Restriction is null ? "There is no restriction in force for this request." : "Lifting this restriction is already scheduled.");
        }

        var at = b.Context.Now + b.Context.Settings.RestrictionLiftNotice;
        b.Update(p => p with { Restriction = restriction with { LiftReason = x.Reason, LiftNoticeAt = b.Context.Now, LiftAt = at } });
        b.Note("restriction.lift_scheduled", ("liftAt", at.ToString("O", CultureInfo.InvariantCulture)));
        b.Send(MessageKind.RestrictionLifting, "1");
        b.SetTimer(TimerKind.RestrictionLift, "1", at);
        return b.Done();
    }

    private static Decision Lifted(Builder b, RestrictionLifted x)
    {
        if (b.Request.Progress.Restriction is not { LiftAt: not null, LiftedAt: null } restriction)
        {
            return b.Ignore("No restriction is being lifted.");
        }

        b.Update(p => p with { Restriction = restriction with { LiftedAt = b.Context.Now } });
        b.Note("restriction.lifted", ("sources", Count(x.Sources)));
        return b.Done();
    }

    /// <summary>Whether the request is answered with a copy of the person's data.</summary>
    public static bool ProducesExport(RequestType type) => type is RequestType.Access or RequestType.Portability;

    /// <summary>
    /// Copies that were gone when the package was to be built (older than the storage account's lifecycle rule, or
    /// deleted by hand): those sources make their copy again, in a new round, and the package is built once they have.
    /// </summary>
    private static Decision CopyAgain(Builder b, ExportCopiesMissing m)
    {
        var r = b.Request;
        var missing = m.Sources.Where(k => r.Progress.Source(k) is { Execution: StepState.Succeeded }).ToHashSet(StringComparer.Ordinal);
        if (r.Status != RequestStatus.Executing || r.Progress.Export is not null || missing.Count == 0)
        {
            return b.Ignore("The copies are not awaited any more.");
        }

        b.Note("export.copies_missing", ("sources", string.Join(",", missing.Order(StringComparer.Ordinal))));
        StartExecution(b, s => missing.Contains(s.Key));
        return b.Done();
    }

    private static Decision ExportReady(Builder b, ExportBuilt x)
    {
        var r = b.Request;
        if (r.Status != RequestStatus.Executing || r.Progress.Export is not null || r.Progress.Sources.Any(s => s.Execution is StepState.Pending or StepState.Failed))
        {
            return b.Ignore("No export is being built for this request.");
        }

        var expires = b.Context.Now + b.Context.Settings.ExportLinkLifetime;
        b.Update(p => p with { Export = new ExportRecord(b.Context.Now, x.Bytes, x.Records, x.Files, expires) { RecordsBySource = x.RecordsBySource } });
        b.Note("export.built", ("bytes", x.Bytes.ToString(CultureInfo.InvariantCulture)), ("records", Count(x.Records)), ("files", Count(x.Files)),
            ("expiresAt", expires.ToString("O", CultureInfo.InvariantCulture)), ("encryption", "AES-256-GCM"));
        b.MoveTo(RequestStatus.Completed, "request.completed");
        b.Send(MessageKind.ExportReady, "1");
        b.Effect(new DeleteExport($"{r.Id}:export:delete:1", expires));
        return b.Done();
    }

    private static Decision Downloaded(Builder b, ExportDownloaded x)
    {
        var r = b.Request;
        if (r.Progress.UsedLinkNonces.Contains(x.LinkNonce))
        {
            return b.Refuse("This download link has already been used.");
        }

        if (r.Progress.Export is not { DeletedAt: null } export || b.Context.Now >= export.ExpiresAt)
        {
            return b.Refuse("This copy of your data is no longer available.");
        }

        b.Update(p => p with { Export = export with { Downloads = export.Downloads + 1 }, UsedLinkNonces = WithNonce(p, x.LinkNonce) });
        b.Note("export.downloaded", ("download", Count(export.Downloads + 1)));
        return b.Done();
    }

    private static Decision Suppressed(Builder b, SuppressionRecorded x)
    {
        if (b.Request.Progress.Sent.Contains("suppression"))
        {
            return b.Ignore("The suppression entry is already recorded.");
        }

        b.Remember("suppression");
        b.Note("suppression.recorded", ("added", x.Added ? "true" : "false"), ("hash", "sha256(email)"));
        return b.Done();
    }

    private static Decision ExportGone(Builder b)
    {
        if (b.Request.Progress.Export is not { DeletedAt: null } export)
        {
            return b.Ignore("No export file to record as deleted.");
        }

        b.Update(p => p with { Export = export with { DeletedAt = b.Context.Now } });
        b.Note("export.deleted", ("downloads", Count(export.Downloads)));
        return b.Done();
    }

    private static Decision Reject(Builder b, RequestRejected e)
    {
        var r = b.Request;
        if (UsedNonce(r, e.LinkNonce))
        {
            return b.Refuse("This link has already been used.");
        }

        if (e.Step is { } step && !IsCurrent(r, step))
        {
            return b.Refuse(StaleLink);
        }

        if (!RequestLifecycle.CanMove(r.Status, RequestStatus.Rejected))
        {
            return b.Refuse($"This request is {Describe(r.Status)} and can no longer be rejected.");
        }

        if (e.Reason == RejectionReason.Other && string.IsNullOrWhiteSpace(e.Note))
        {
            // The email tells the person why in the note's words: without one they would be refused with no reason given.
            return b.Refuse("Explain the reason to the requester: with \"another reason\" the email gives them your words.");
        }

        b.Update(p => p with
        {
            Rejection = e.Reason,
            RejectionNote = e.Note,
            Approval = r.Status == RequestStatus.AwaitingApproval ? new ApprovalRecord("rejected", e.Actor, b.Context.Now, e.Note) : p.Approval,
            UsedLinkNonces = WithNonce(p, e.LinkNonce),
        });
        b.MoveTo(RequestStatus.Rejected, "request.rejected", ("reason", e.Reason.Name()));
        b.Send(MessageKind.Rejection, "1");
        return b.Done();
    }

    /// <summary>A round's timer that sends one message (a reminder, an escalation, a notice): remembered, so it sends once.</summary>
    private static Decision SendForRound(Builder b, string key, string action, MessageKind kind, string round)
    {
        b.Remember(key);
        b.Note(action, ("round", round));
        b.Send(kind, round);
        return b.Done();
    }

    private static Decision AskForInformation(Builder b, InformationRequested e)
    {
        var r = b.Request;
        if (RefuseUnlessDecidable(b, e.LinkNonce, e.Step) is { } refused)
        {
            return refused;
        }

        b.Update(p => p with
        {
            InformationQuestion = e.Question,
            InformationAnswer = null,
            UsedLinkNonces = WithNonce(p, e.LinkNonce),
        });
        b.MoveTo(RequestStatus.AwaitingInformation, "information.requested", ("round", Count(r.Progress.ApprovalRound)));
        // The clock stops for a question only on a request for access (UK GDPR Art. 12A(5): "a request under Article 15"),
        // and only while the period still runs: a question asked once the deadline has passed moves nothing (it would
        // clear the overdue flag and open the way to an extension after the deadline).
        if (b.Context.Regime.PausesForClarification && r.Type == RequestType.Access && !r.Progress.Overdue && b.Today <= r.Deadline.DueOn)
        {
            b.PauseClock("clarification");
        }

        // A wait for the person: reminded after a week, and the privacy team told if they still have not answered.
        var round = Count(r.Progress.ApprovalRound);
        b.Send(MessageKind.InformationRequest, round);
        b.SetTimer(TimerKind.InformationReminder, round, b.Context.Now + b.Context.Settings.InformationReminderAfter);
        b.SetTimer(TimerKind.InformationUnanswered, round, b.Context.Now + b.Context.Settings.InformationUnansweredAfter);
        return b.Done();
    }

    private static Decision InformationArrived(Builder b, InformationProvided e)
    {
        if (UsedNonce(b.Request, e.LinkNonce))
        {
            return b.Refuse("This link has already been used.");
        }

        if (b.Request.Status != RequestStatus.AwaitingInformation || (e.Step is { } step && !IsCurrent(b.Request, step)))
        {
            return b.Refuse($"This request is {Describe(b.Request.Status)}: we are not waiting for this answer from you.");
        }

        b.Update(p => p with { InformationAnswer = e.Answer, UsedLinkNonces = WithNonce(p, e.LinkNonce) });
        b.Note("information.provided");
        b.ResumeClock();
        EnterApproval(b);
        return b.Done();
    }

    private static Decision Extend(Builder b, DeadlineExtended e)
    {
        var r = b.Request;
        var regime = b.Context.Regime;
        if (RequestLifecycle.IsFinal(r.Status))
        {
            return b.Refuse($"This request is {Describe(r.Status)}.");
        }

        if (regime.ExtensionMonths == 0 && regime.ExtensionDays == 0)
        {
            return b.Refuse($"{regime.Name} allows no extension.");
        }

        if (r.Progress.Extension is not null)
        {
            return b.Refuse("The deadline has already been extended once; it cannot be extended again.");
        }

        if (b.Today > r.Deadline.DueOn || r.Progress.Overdue)
        {
            return b.Refuse("An extension is only possible before the first deadline has passed.");
        }

        var newDue = b.Context.Calculator.Extend(regime, r.Deadline.DueOn);
        b.Update(p => p with { Extension = new ClockExtension(b.Context.Now, e.Actor, e.Reason, newDue) });
        b.SetDue(newDue, "clock.extended");
        b.Send(MessageKind.ExtensionNotice, "1");
        return b.Done();
    }

    private static Decision Retry(Builder b)
    {
        var r = b.Request;
        if (r.Status != RequestStatus.Failed)
        {
            return b.Refuse($"This request is {Describe(r.Status)}; only a failed request can be retried.");
        }

        b.MoveTo(RequestStatus.Executing, "execution.retried");
        StartExecution(b, s => s.Execution == StepState.Failed);
        return b.Done();
    }

    private static Decision Restarted(Builder b, WorkflowRestarted w)
    {
        // A closed request's run goes on while work is left (the emails after completion, an export's deletion); once
        // it has ended, nothing is left for a workflow to do.
        if (RequestLifecycle.IsFinal(b.Request.Status) && b.Request.RunEnded)
        {
            return b.Ignore("The request is closed and its workflow ended with nothing left to do.");
        }

        b.Note("workflow.restarted", ("found", w.Found));
        b.StartWorkflow();
        return b.Done();
    }

    private static Decision CarriedOut(Builder b, WorkCarriedOut w)
    {
        if (b.Request.Progress.OwedOf(w.WorkItemId) is null)
        {
            return b.Ignore("The request does not owe this work.");
        }

        b.Settle(w.WorkItemId);
        return b.Done();
    }

    private static Decision DeadLettered(Builder b, WorkDeadLettered w)
    {
        if (b.Request.Progress.Alerts.Any(a => a.WorkItemId == w.WorkItemId))
        {
            return b.Ignore("Already recorded.");
        }

        b.Settle(w.WorkItemId);
        b.Update(p => p with { Alerts = [.. p.Alerts, new WorkAlert(w.WorkItemId, w.Kind, w.Error, b.Context.Now)] });
        b.Note("work.dead_lettered", ("kind", w.Kind), ("workItem", w.WorkItemId), ("error", w.Error));

        // When the alert to staff is itself what failed, another alert would fail the same way, for ever.
        if (!w.WorkItemId.Contains(":message:" + Kebab.Of(MessageKind.StaffFailure) + ":", StringComparison.Ordinal))
        {
            b.Send(MessageKind.StaffFailure, "dead-letter-" + w.WorkItemId.Replace(':', '-'));
        }

        // An export that cannot be built leaves the request failed, for staff to retry once the cause is fixed.
        if (w.Kind == Ports.WorkItem.Export && w.WorkItemId.Contains(":export:build:", StringComparison.Ordinal) && b.Request.Status == RequestStatus.Executing)
        {
            b.MoveTo(RequestStatus.Failed, "execution.failed", ("failedSources", "export"));
            return b.Done();
        }

        return b.Done();
    }

    private static bool AccountCheckPasses(DataSubjectRequest r, WorkflowSettings settings) =>
        !settings.RequireAccountMatch || r.AccountReference is null || r.Progress.Sources.Any(s => s.Findings?.AccountReferenceMatched == true);

    /// <summary>The checks every approval-gate decision shares: a fresh link of the current round, and a request waiting for a decision.</summary>
    private static Decision? RefuseUnlessDecidable(Builder b, string? nonce, ActionStep? step) =>
        UsedNonce(b.Request, nonce) ? b.Refuse("This link has already been used.")
        : step is not null && !IsCurrent(b.Request, step) ? b.Refuse(StaleLink)
        : b.Request.Status != RequestStatus.AwaitingApproval ? b.Refuse($"This request is {Describe(b.Request.Status)}, not waiting for approval.")
        : null;

    /// <summary>What a person is told when a link from an earlier step or round is used.</summary>
    public const string StaleLink = "This link was sent for an earlier step of this request, which is over, so it can no longer decide anything. Nothing was changed. Use the newest email about this request.";

    /// <summary>
    /// Whether <paramref name="step"/> is the one the request waits at now: the only time a link issued for it may act.
    /// Pages check it before showing a form and before acting; the decider checks it again for events that carry a step.
    /// </summary>
    public static bool IsCurrent(DataSubjectRequest r, ActionStep step) => step.Kind switch
    {
        ActionStepKind.Verification => r.Status == RequestStatus.AwaitingVerification && VerificationRoundOf(r) == step.Round,
        ActionStepKind.Information => r.Status == RequestStatus.AwaitingInformation && r.Progress.ApprovalRound == step.Round,
        ActionStepKind.Approval => r.Status == RequestStatus.AwaitingApproval && r.Progress.ApprovalRound == step.Round,
        _ => step.TaskStep is { } sourceStep && step.SourceKey is { } key && IsOpenStep(r, sourceStep, key, step.Round),
    };

    private static IReadOnlyList<string> WithNonce(RequestProgress p, string? nonce) => nonce is null ? p.UsedLinkNonces : [.. p.UsedLinkNonces, nonce];

    private static bool UsedNonce(DataSubjectRequest r, string? nonce) => nonce is not null && r.Progress.UsedLinkNonces.Contains(nonce);

    private static bool IsCurrentDue(DataSubjectRequest r, string tag) =>
        tag.Split('@') is [_, var date] && date == Date(r.Deadline.DueOn);

    /// <summary>Whether carrying out this type of request changes data at the source (so a read source is skipped).</summary>
    public static bool ChangesData(RequestType type) => type is not (RequestType.Access or RequestType.Portability);

    /// <summary>
    /// Whether those the changed data was disclosed to are told of the change (Art. 19: a correction, an erasure, a
    /// restriction); an objection's effects (an unsubscription, a use stopped) are not notified.
    /// </summary>
    public static bool TellsRecipients(RequestType type) => type is RequestType.Erasure or RequestType.Rectification or RequestType.Restriction;

    private static string Describe(RequestStatus status) => RequestLifecycle.Phrase(status);

    private static string Describe(RequestType type) => type switch
    {
        RequestType.Access => "a request for a copy of their data",
        RequestType.Erasure => "a request to erase their data",
        RequestType.Rectification => "a request to correct their data",
        RequestType.Restriction => "a request to restrict the use of their data",
        RequestType.Objection => "an objection",
        RequestType.Portability => "a request to move their data",
        _ => "another kind of request",
    };

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Accumulates one decision: the request as it changes, its audit drafts and its effects.</summary>
    private sealed class Builder(DataSubjectRequest request, DecisionContext context, string actor)
    {
        private readonly DataSubjectRequest _original = request;
        private readonly List<AuditDraft> _audit = [];
        private readonly List<Effect> _effects = [];
        private bool _startsWorkflow;

        public DataSubjectRequest Request { get; private set; } = request;

        public DecisionContext Context { get; } = context;

        public DateOnly Today => DeadlineCalculator.LocalDate(Context.Regime, Context.Now);

        public void MoveTo(RequestStatus to, string action, params (string Key, string? Value)[] details)
        {
            RequestLifecycle.EnsureCanMove(Request.Status, to);
            if (to is RequestStatus.Discovering or RequestStatus.AwaitingApproval or RequestStatus.Executing or RequestStatus.Completed
                && Request.Progress.VerifiedAt is null)
            {
                throw new InvalidOperationException($"Request {Request.Id} cannot move to '{to.Name()}': identity is not verified.");
            }

            var from = Request.Status;
            _audit.Add(new AuditDraft(Context.Now, actor, action, from.Name(), to.Name(), ToDetails(details)));

            // Details given to prove who they are are kept only while they may still be matched: a request closed before
            // (expired or rejected while waiting for confirmation) keeps none.
            Request = Request with { Status = to, DataPoints = RequestLifecycle.IsFinal(to) ? null : Request.DataPoints };
            if (RequestEventNames.ForMove(from, to) is { } name)
            {
                Publish(name, name == RequestEventNames.Approved ? Count(Request.Progress.ApprovalRound) : "1", from);
            }
        }

        /// <summary>
        /// Publishes the request as it now stands as event <paramref name="name"/>; its id names the request, the event
        /// and <paramref name="key"/> (what makes it unique: a round, a due date), so a repeated decision repeats the id.
        /// </summary>
        public void Publish(string name, string key, RequestStatus? previous = null, DateTimeOffset? at = null) =>
            _effects.Add(new PublishEvent($"{Request.Id}:event:{name}:{key}", Context.Now, new RequestEventData(
                name,
                Request.Id,
                Request.Reference,
                Request.Type.Name(),
                Request.Status.Name(),
                previous?.Name(),
                Request.Jurisdiction.Name(),
                Request.Deadline.DueOn,
                Request.Progress.Overdue,
                at ?? Context.Now)));

        public void Note(string action, params (string Key, string? Value)[] details) =>
            _audit.Add(new AuditDraft(Context.Now, actor, action, null, null, ToDetails(details)));

        public void Update(Func<RequestProgress, RequestProgress> change) => Request = Request with { Progress = change(Request.Progress) };

        public void UpdateSource(string key, Func<SourceProgress, SourceProgress> change) =>
            Update(p => p with { Sources = [.. p.Sources.Select(s => s.Key == key ? change(s) : s)] });

        public void SetDataPoints(IReadOnlyList<GivenDataPoint>? given) => Request = Request with { DataPoints = given };

        public void Remember(string key) => Update(p => p with { Sent = [.. p.Sent, key] });

        public void Effect(Effect effect) => _effects.Add(effect);

        public void Send(MessageKind kind, string key) =>
            _effects.Add(new SendMessage($"{Request.Id}:message:{Kebab.Of(kind)}:{key}", Context.Now, kind));

        /// <summary>
        /// Sets a timer: the request keeps it (every kind: <see cref="TimerWork.KeptByTheRequest"/>) in its planned timers,
        /// in place of those it replaces (<see cref="TimerWork.Replaces"/>).
        /// </summary>
        public void SetTimer(TimerKind kind, string tag, DateTimeOffset at)
        {
            var planned = new PlannedTimer(kind, tag, at);
            var request = Request;
            Update(p => p with { PlannedTimers = [.. p.PlannedTimers.Where(t => !TimerWork.Replaces(planned, t, request)), planned] });
        }

        public void PauseClock(string reason)
        {
            if (StatutoryClock.IsPaused(Request.Progress))
            {
                return;
            }

            Update(p => StatutoryClock.Pause(p, Today, reason));
            Note("clock.paused", ("reason", reason));
        }

        public void ResumeClock()
        {
            if (!StatutoryClock.IsPaused(Request.Progress))
            {
                return;
            }

            Update(p => StatutoryClock.Resume(p, Today));
            Note("clock.resumed", ("pausedDays", Count(StatutoryClock.PausedDays(Request.Progress))));
            var before = Request.Deadline.DueOn;
            SetDue(StatutoryClock.DueOn(Context.Regime, Context.Calculator, Request.Deadline.ReceivedOn, Request.Progress), "clock.due_date_changed");
            if (Request.Deadline.DueOn == before)
            {
                // Same date: its timers may never have been planned (paused from the start), and those whose time came in
                // the pause were ignored: the ones still to come are planned again.
                ScheduleDeadlineTimers();
            }

            CatchUpDeadlineReminder(before);

            // An overdue timer that fired while the clock stood still was ignored; catch it up now.
            if (!Request.Progress.Overdue && Today > Request.Deadline.DueOn && !RequestLifecycle.IsFinal(Request.Status))
            {
                Update(p => p with { Overdue = true });
                var key = $"@{Date(Request.Deadline.DueOn)}-resumed-{Count(Request.Progress.Pauses.Count)}";
                Note("request.overdue", ("dueOn", Date(Request.Deadline.DueOn)));
                Publish(RequestEventNames.Overdue, key);
                Send(MessageKind.StaffOverdue, key);
            }
        }

        /// <summary>
        /// A deadline reminder whose time came while the clock stood still was ignored, and the clock starting again sets
        /// none for a time already past (the same date's, or the moved date's that falls inside the pause): the latest such
        /// reminder of the current due date goes now, once (the earlier ones would say less), unless the reminder for as
        /// many days before the date the pause began with (<paramref name="before"/>) was sent already.
        /// </summary>
        private void CatchUpDeadlineReminder(DateOnly before)
        {
            if (RequestLifecycle.IsFinal(Request.Status) || Request.Progress.Overdue || Today > Request.Deadline.DueOn
                || Request.Progress.Pauses.LastOrDefault() is not { } pause)
            {
                return;
            }

            var due = Request.Deadline.DueOn;
            var pausedFrom = new DateTimeOffset(pause.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            bool Sent(int days, DateOnly date) => Request.Progress.Sent.Contains($"timer:{Kebab.Of(TimerKind.DeadlineReminder)}:{Count(days)}d@{Date(date)}");
            var missed = Context.Settings.DeadlineReminderDays
                .Select(days => (Tag: $"{Count(days)}d@{Date(due)}", At: ReminderAt(due, days), Days: days))
                .Where(r => r.At >= pausedFrom && r.At <= Context.Now && !Sent(r.Days, due) && !Sent(r.Days, before))
                .OrderBy(r => r.At)
                .LastOrDefault();
            if (missed.Tag is { } tag)
            {
                Remember($"timer:{Kebab.Of(TimerKind.DeadlineReminder)}:{tag}");
                Note("deadline.reminded", ("reminder", tag), ("caughtUp", "true"));
                Send(MessageKind.StaffDeadlineReminder, tag);
            }
        }

        /// <summary>When the reminder <paramref name="days"/> before <paramref name="due"/> is due: that day at the reminder hour (UTC).</summary>
        private DateTimeOffset ReminderAt(DateOnly due, int days) =>
            new DateTimeOffset(due.AddDays(-days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + TimeSpan.FromHours(Context.Settings.ReminderHourUtc);

        public void SetDue(DateOnly due, string action)
        {
            if (due == Request.Deadline.DueOn)
            {
                return;
            }

            Note(action, ("from", Date(Request.Deadline.DueOn)), ("to", Date(due)));
            Request = Request with { Deadline = Request.Deadline with { DueOn = due }, Progress = Request.Progress with { Overdue = false } };
            ScheduleDeadlineTimers();
        }

        /// <summary>
        /// Plans the current due date's reminders (those whose time is still to come) and its overdue notice, in place of
        /// any planned before: the request's orchestration waits for them while the request stands where they matter.
        /// </summary>
        public void ScheduleDeadlineTimers()
        {
            var due = Request.Deadline.DueOn;
            var hour = TimeSpan.FromHours(Context.Settings.ReminderHourUtc);
            var now = Context.Now;
            PlannedTimer[] planned =
            [
                .. Context.Settings.DeadlineReminderDays
                    .Select(days => new PlannedTimer(TimerKind.DeadlineReminder, $"{Count(days)}d@{Date(due)}", ReminderAt(due, days)))
                    .Where(t => t.At > now),
                new PlannedTimer(TimerKind.Overdue, "@" + Date(due), new DateTimeOffset(due.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + hour),
            ];
            Update(p => p with { PlannedTimers = [.. p.PlannedTimers.Where(t => !TimerWork.SameWait(t.Kind, TimerKind.Overdue)), .. planned] });
        }

        /// <summary>The request owes <paramref name="workItemId"/> no more: carried out, or given up.</summary>
        public void Settle(string workItemId) => Update(p => p with
        {
            Owed = [.. p.Owed.Where(o => o.Id != workItemId)],
            WorkDone = p.WorkDone.Contains(workItemId, StringComparer.Ordinal) ? p.WorkDone : [.. p.WorkDone, workItemId],
        });

        /// <summary>The decision: the request as it now stands, owing the work decided (once per id), what to audit, what to do.</summary>
        public Decision Done()
        {
            var progress = Request.Progress;
            var owed = _effects.Select(OwedWork.Of)
                .Where(o => !progress.WorkDone.Contains(o.Id, StringComparer.Ordinal) && !progress.Owed.Any(known => known.Id == o.Id))
                .DistinctBy(o => o.Id, StringComparer.Ordinal)
                .ToList();
            var request = owed.Count == 0 ? Request : Request with { Progress = progress with { Owed = [.. progress.Owed, .. owed] } };
            return new(request with { UpdatedAt = Context.Now }, _audit, _effects) { StartsWorkflow = _startsWorkflow };
        }

        /// <summary>The request's workflow runs after this decision, work or none (see <see cref="Decision.StartsWorkflow"/>).</summary>
        public void StartWorkflow() => _startsWorkflow = true;

        public Decision Ignore(string why) => Decision.Ignore(_original, why);

        public Decision Refuse(string why) => Decision.Refuse(_original, why);

        private static Dictionary<string, string?>? ToDetails((string Key, string? Value)[] details) =>
            details.Length == 0 ? null : details.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
    }
}
