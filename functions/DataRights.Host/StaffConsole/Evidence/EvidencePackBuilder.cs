using DataRights.Core.Audit;
using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;
using DataRights.Core.Workflow;
using DataRights.Host.Hosting;
using DataRights.Host.Pages;
using DataRights.Host.Verification;
using Microsoft.Extensions.Options;

namespace DataRights.Host.StaffConsole.Evidence;

/// <summary>
/// Builds the evidence pack of one request from what the store holds: the request, its audit trail and the check of
/// that trail's hash chain, with systems, categories and recipients named as their registrations name them.
/// </summary>
public sealed class EvidencePackBuilder(
    IRequestStore store,
    ISourceRegistrationStore registrations,
    IDataSourceRegistry sources,
    DeadlineRegimes regimes,
    IOptions<DataRightsOptions> options,
    IOptions<VerificationOptions> verification,
    TimeProvider time)
{
    /// <summary>The pack of request <paramref name="requestId"/>; null when there is no such request.</summary>
    public async Task<EvidencePack?> BuildAsync(string requestId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(requestId, cancellationToken) is not { } request)
        {
            return null;
        }

        var trail = await store.GetAuditTrailAsync(requestId, cancellationToken);
        var registered = (await registrations.ListAsync(cancellationToken))
            .GroupBy(r => r.Registration.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.Active).First().Registration, StringComparer.Ordinal);
        return Build(request, trail, registered, time.GetUtcNow());
    }

    internal EvidencePack Build(DataSubjectRequest r, IReadOnlyList<AuditEntry> trail, IReadOnlyDictionary<string, SourceRegistration> registered, DateTimeOffset now)
    {
        var active = sources.ActiveSources().ToDictionary(s => s.Key, StringComparer.Ordinal);
        var labels = verification.Value.Definitions().ToDictionary(p => p.Name, p => p.Label, StringComparer.Ordinal);
        string SourceName(string key) =>
            r.Progress.Source(key)?.DisplayName ?? (active.TryGetValue(key, out var a) ? a.DisplayName : null)
            ?? (registered.TryGetValue(key, out var reg) && reg.DisplayName.Length > 0 ? reg.DisplayName : EvidenceText.Readable(key));
        string CategoryName(string sourceKey, string key) =>
            active.TryGetValue(sourceKey, out var a) && a.CategoryNames.ContainsKey(key) ? a.CategoryName(key)
            : CategoryNames.Of(registered.GetValueOrDefault(sourceKey), key);
        IReadOnlyList<string> CategoryKeys(string sourceKey) =>
            [.. (active.TryGetValue(sourceKey, out var a) ? a.CategoryNames.Keys : []).Concat(registered.GetValueOrDefault(sourceKey)?.Categories.Select(c => c.Key) ?? []).Distinct(StringComparer.Ordinal)];
        string RegimeName(string key) => regimes.All.FirstOrDefault(x => x.Key == key)?.Name ?? EvidenceText.Readable(key);

        var sentences = new AuditSentences(
            SourceName, CategoryName, CategoryKeys, name => labels.TryGetValue(name, out var label) ? label : EvidenceText.Readable(name), RegimeName);
        var check = AuditChain.Verify(trail, r.AuditHead);
        var regime = regimes.For(r.Jurisdiction);

        return new EvidencePack(
            r.Id,
            r.Reference,
            options.Value.OperatorName,
            now,
            r.FullName,
            r.Email,
            RequestFacts(r, trail),
            ClockFacts(r, trail, regime, now),
            [.. trail.Select(e => new EvidenceEvent(e.Sequence, e.At, EvidenceText.Actor(e.Actor), sentences.Describe(e)))],
            Chain(check, r.AuditHead),
            [.. r.Progress.Sources.Select(s => Source(r, s, trail, registered.GetValueOrDefault(s.Key), CategoryName))],
            Recipients(r, trail),
            RecipientNotification.Cite(r.Jurisdiction));
    }

    private static List<EvidenceFact> RequestFacts(DataSubjectRequest r, IReadOnlyList<AuditEntry> trail)
    {
        var facts = new List<EvidenceFact>
        {
            new("Reference", r.Reference),
            new("Requester", r.FullName),
            new("Requester's email address", r.Email),
            new("Right exercised", EvidenceRights.Right(r.Type, r.Jurisdiction)),
            new("What they asked", RequestTexts.Describe(r.Type).Label),
            new("Where the requester lives", RequestTexts.Describe(r.Jurisdiction)),
            new("Law relied on", EvidenceRights.Law(r.Jurisdiction)),
            new("Received", $"{EvidenceText.Time(r.ReceivedAt)}, by {EvidenceText.Channel(r.Channel)}"),
            new("Identity", Identity(r)),
        };
        if (r.Progress.Approval is { } approval)
        {
            var who = EvidenceText.Actor(approval.By);
            var text = approval.Decision == "approved" ? $"Approved by {who} on {EvidenceText.Time(approval.At)}" : $"Refused by {who} on {EvidenceText.Time(approval.At)}";
            if (approval.Instructions is { Corrections.Count: > 0 } instructions)
            {
                // The corrected values are personal data: the pack names the details corrected, never what they now say.
                text += "; details to correct: " + Plural.List([.. instructions.Corrections.Select(c => c.Field == "phone" ? "phone number" : c.Field).Distinct()]);
            }

            facts.Add(new("Decision", text + (string.IsNullOrWhiteSpace(approval.Note) ? "." : $". Note: {approval.Note}")));
        }

        if (r.Progress.Rejection is { } rejection)
        {
            facts.Add(new("Refused because", EvidenceText.Readable(rejection.Name()) + (string.IsNullOrWhiteSpace(r.Progress.RejectionNote) ? "." : $": {r.Progress.RejectionNote}")));
        }

        if (r.Progress.InformationQuestion is { } question)
        {
            facts.Add(new("More information asked for", question + (r.Progress.InformationAnswer is null ? " (no answer yet)" : " (answered; the answer is kept with the request, not in this pack)")));
        }

        facts.Add(new("Status", $"{EvidenceText.Status(r.Status)} ({Plural.Count(trail.Count, "audit entry", "audit entries")})"));
        return facts;
    }

    private static string Identity(DataSubjectRequest r)
    {
        if (r.Progress.VerifiedAt is not { } at)
        {
            return r.Progress.Identity is { Outcome: Core.Verification.IdentityCheckOutcome.Failed } failed
                ? $"Not verified: too few of the details given matched our records ({(failed.Matched ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)} matched, {failed.Required.ToString(System.Globalization.CultureInfo.InvariantCulture)} needed)."
                : "Not verified.";
        }

        return $"{IdentityTexts.ForStaff(r)} Verified on {EvidenceText.Time(at)}.";
    }

    private static List<EvidenceFact> ClockFacts(DataSubjectRequest r, IReadOnlyList<AuditEntry> trail, DeadlineRegime regime, DateTimeOffset now)
    {
        var p = r.Progress;
        var facts = new List<EvidenceFact>
        {
            new("Regime", $"{regime.Name}: {Period(regime)}"),
            new("Received on", EvidenceText.Date(r.Deadline.ReceivedOn)),
        };
        if (r.Deadline.AcknowledgeBy is { } acknowledge)
        {
            facts.Add(new("Acknowledge by", EvidenceText.Date(acknowledge)));
        }

        facts.Add(new("Clock paused", p.Pauses.Count == 0 ? "Never." : string.Join(" ", p.Pauses.Select(Pause))));
        facts.Add(new("Extension", p.Extension is { } x
            ? $"On {EvidenceText.Time(x.At)} by {EvidenceText.Actor(x.By)}, to {EvidenceText.Date(x.NewDueOn)}. Reason: {x.Reason}"
            : "None."));
        facts.Add(new("Due", EvidenceText.Date(r.Deadline.DueOn)));

        var closed = trail.FirstOrDefault(e => WireNames.TryParseStatus(e.ToStatus, out var s) && RequestLifecycle.IsFinal(s));
        if (closed is not null)
        {
            var closedOn = DeadlineCalculator.LocalDate(regime, closed.At);
            facts.Add(new("Closed", $"{EvidenceText.Time(closed.At)} ({EvidenceText.Readable(closed.ToStatus!).ToLowerInvariant()})"));
            var late = closedOn.DayNumber - r.Deadline.DueOn.DayNumber;
            facts.Add(new("On time", late switch
            {
                < 0 => $"Yes: closed {Plural.Count(-late, "day")} before the due date.",
                0 => "Yes: closed on the due date.",
                _ => $"No: closed {Plural.Count(late, "day")} after the due date.",
            }));
        }
        else
        {
            var overdue = DeadlineCalculator.LocalDate(regime, now).DayNumber - r.Deadline.DueOn.DayNumber;
            facts.Add(new("Closed", "Not yet: the request is still open."));
            facts.Add(new("On time", overdue > 0 ? $"No: {Plural.Count(overdue, "day")} past the due date and still open." : "So far: the due date has not passed."));
        }

        return facts;
    }

    private static string Period(DeadlineRegime regime)
    {
        var parts = new List<string>();
        if (regime.Months > 0)
        {
            parts.Add(Plural.Count(regime.Months, "month"));
        }

        if (regime.Days > 0)
        {
            parts.Add(Plural.Count(regime.Days, "day"));
        }

        var extension = regime.ExtensionMonths > 0 ? Plural.Count(regime.ExtensionMonths, "month")
            : regime.ExtensionDays > 0 ? Plural.Count(regime.ExtensionDays, "day") : null;
        return $"{string.Join(" and ", parts)} from receipt"
            + (extension is null ? ", no extension." : $", extendable once by {extension}.")
            + (regime.PausesForVerification ? " The clock stops while identity is verified." : string.Empty);
    }

    private static string Pause(ClockPause pause) => pause.Until is { } until
        ? until == pause.From
            ? $"On {EvidenceText.Date(pause.From)}, within the day (no days lost), waiting for {pause.Reason}."
            : $"From {EvidenceText.Date(pause.From)} to {EvidenceText.Date(until)} ({Plural.Count(until.DayNumber - pause.From.DayNumber, "day")}), waiting for {pause.Reason}."
        : $"Since {EvidenceText.Date(pause.From)} (still paused), waiting for {pause.Reason}.";

    private static EvidenceChainCheck Chain(AuditVerification check, AuditHead head) =>
        new(
            check.IsValid,
            check.EntryCount,
            check.FirstBrokenSequence,
            check.IsValid
                ? $"The chain holds: all {Plural.Count(check.EntryCount, "entry", "entries")} link to the one before by its SHA-256 hash, none was changed, and the trail ends at the entry the request records as its last."
                : $"The chain is broken at entry {check.FirstBrokenSequence}: {check.Problem} The trail cannot be relied on from that entry on.",
            head.Sequence,
            head.Hash);

    private static EvidenceSource Source(
        DataSubjectRequest r, SourceProgress s, IReadOnlyList<AuditEntry> trail, SourceRegistration? registration, Func<string, string, string> category)
    {
        string Categories(IEnumerable<string> keys) => string.Join(", ", keys.Select(k => category(s.Key, k)));
        var found = s.Discovery switch
        {
            StepState.Succeeded when s.Findings is { RecordCount: > 0 } f => $"{Plural.Count(f.RecordCount, "record")} ({Categories(f.Categories)}){(f.AccountReferenceMatched ? "; the account reference matched" : string.Empty)}.",
            StepState.Succeeded => "Nothing.",
            StepState.Failed => $"Not known: the search failed ({s.DiscoveryError}).",
            _ => "No answer yet.",
        };

        var done = new List<string>();
        var kept = new List<EvidenceRetention>();
        switch (s.Execution)
        {
            case StepState.Succeeded when s.Outcome is { } o:
                Add(done, o.Erased, "Deleted");
                Add(done, o.Masked, "Anonymised (the records stay, without the personal data)");
                Add(done, o.Exported, "Copied for the requester");
                Add(done, o.Corrected, "Corrected");
                Add(done, o.Restricted, "Marked as restricted (kept, not otherwise used)");
                var keptCount = o.Retained.Sum(x => x.Count);
                if (r.Type == RequestType.Erasure && o.Erased + o.Masked == 0 && s.Findings is { RecordCount: var all } && all > keptCount)
                {
                    // A step repeated after a lost answer finds its work done: what the search found was erased by the earlier run.
                    done.Add($"Erased the {Plural.Count(all - keptCount, "record")} the search found (the step ran again after its first answer was lost; that run erased them).");
                }

                if (o.GoneBeforeThisAttempt is { } gone)
                {
                    done.Add($"{Plural.Count(gone, "record")} had already been erased by an earlier, interrupted attempt.");
                }

                if (o.RemainingCategories is { } left)
                {
                    done.Add(left.Count == 0 ? "A fresh search afterwards found nothing left." : $"A fresh search afterwards found only what was kept: {Categories(left)}.");
                }

                if (done.Count == 0)
                {
                    done.Add(o.Note ?? "No change was needed.");
                }
                else if (o.Note is not null)
                {
                    done.Add(o.Note);
                }

                kept.AddRange(o.Retained.Select(x => new EvidenceRetention(
                    $"{Plural.Count(x.Count, "record")} ({category(s.Key, x.Category)})",
                    ErasureExceptions.Cite(x.LegalBasis, x.Ground, r.Jurisdiction),
                    x.RetainedUntil is { } until ? EvidenceText.Date(until)
                        : x.Category == RetainedRecords.LegalHoldCategory ? "Until the legal hold is lifted" : "No end date recorded")));
                break;
            case StepState.NotRequired:
                done.Add("Nothing: we can only read this system.");
                break;
            case StepState.Pending:
                done.Add("Under way.");
                break;
            case StepState.Failed:
                done.Add("Not done: the step failed (see problems).");
                break;
            default:
                done.Add(s.Findings is { RecordCount: 0 } ? "Nothing to do: no records." : "Nothing yet.");
                break;
        }

        var problems = trail
            .Where(e => e.Action is "source.discovery_failed" or "source.execution_failed" && AuditSentences.Details(e).GetValueOrDefault("source") == s.Key)
            .Select(e => $"{EvidenceText.Time(e.At)}: {(e.Action == "source.discovery_failed" ? "the search" : "carrying out the request")} failed: {AuditSentences.Details(e).GetValueOrDefault("error")}")
            .ToList();
        if (s.ExecutionRound > 1)
        {
            problems.Add($"Carrying out the request was tried {Plural.Count(s.ExecutionRound, "time")}; the last try {(s.Execution == StepState.Succeeded ? "succeeded" : s.Execution == StepState.Failed ? "failed" : "is under way")}.");
        }

        return new EvidenceSource(s.DisplayName, found, done, kept, problems, Told(r, s, registration));
    }

    private static void Add(List<string> done, int count, string verb)
    {
        if (count > 0)
        {
            done.Add($"{verb}: {Plural.Count(count, "record")}.");
        }
    }

    /// <summary>Who this source's data was disclosed to, and whether they were told of the change (Art. 19).</summary>
    private static List<string> Told(DataSubjectRequest r, SourceProgress s, SourceRegistration? registration)
    {
        var recipients = registration?.Recipients.Select(SourceRecipient.Parse).ToList() ?? [];
        if (recipients.Count == 0)
        {
            return s.HasRecipients ? ["Its data is shared with others; the registration no longer names them."] : [];
        }

        var notified = r.Progress.Sent.Contains("recipients-notified");
        return [.. recipients.Select(x => !RequestDecider.TellsRecipients(r.Type) || !s.Changed
            ? $"{x.Name}: not told, as their copy of the data did not change."
            : !notified ? $"{x.Name}: to be told of the change."
            : x.Email is not null ? $"{x.Name}: told of the change by email."
            : $"{x.Name}: left for the privacy team to tell of the change by hand.")];
    }

    private static List<string> Recipients(DataSubjectRequest r, IReadOnlyList<AuditEntry> trail)
    {
        if (trail.LastOrDefault(e => e.Action == "recipients.notified") is { } told)
        {
            var d = AuditSentences.Details(told);
            return [$"On {EvidenceText.Time(told.At)}: {Plural.Count(EvidenceText.Int(d.GetValueOrDefault("byEmail")), "recipient")} told by email, {Plural.Count(EvidenceText.Int(d.GetValueOrDefault("byHand")), "recipient")} left for the privacy team to tell by hand."];
        }

        return r.Progress.Sources.Any(s => s.HasRecipients && s.Changed) && RequestDecider.TellsRecipients(r.Type)
            ? ["Recipients of the changed data are still to be told."]
            : ["No recipient needed telling: no data shared with others was changed."];
    }
}
