using System.Text.Json;
using DataRights.Core.Audit;
using DataRights.Core.Requests;
using DataRights.Core.Text;

namespace DataRights.Host.StaffConsole.Evidence;

/// <summary>
/// Turns audit entries into sentences: every action the workflow and the retention run write to a request's trail has
/// its own; an unknown one reads as its name in words with its details. Sources, categories, data points and regimes
/// are named by their display names (a key only where none is known); data point hashes are never shown.
/// </summary>
internal sealed class AuditSentences(
    Func<string, string> sourceName,
    Func<string, string, string> categoryName,
    Func<string, IReadOnlyList<string>> categoryKeys,
    Func<string, string> dataPointLabel,
    Func<string, string> regimeName)
{
    public static IReadOnlyDictionary<string, string?> Details(AuditEntry entry)
    {
        if (string.IsNullOrWhiteSpace(entry.Details))
        {
            return new Dictionary<string, string?>();
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string?>>(entry.Details) ?? new Dictionary<string, string?>();
        }
        catch (JsonException)
        {
            // A tampered entry may not even be JSON: the chain check reports it; the sentence does without details.
            return new Dictionary<string, string?>();
        }
    }

    public string Describe(AuditEntry entry)
    {
        var d = Details(entry);
        string V(string key) => d.TryGetValue(key, out var value) ? value ?? string.Empty : string.Empty;
        int N(string key) => EvidenceText.Int(V(key));
        string Source() => sourceName(V("source"));
        string Records(string key) => Plural.Count(N(key), "record");

        return entry.Action switch
        {
            AuditActions.Received => $"Request received by {Channel(V("channel"))}: {Type(V("type"))}, from {Jurisdiction(V("jurisdiction"))}, answered under {regimeName(V("regime"))}; due {EvidenceText.StoredDate(V("dueOn"))}.",
            "verification.requested" => "Verification email sent: the requester was asked to confirm the request from their email address.",
            "verification.reminded" => "The requester was reminded to confirm the request.",
            "verification.resent" => $"Verification email sent again, at the requester's request (email {V("count")}).",
            "verification.resent_on_repeat" => V("asked") is { Length: > 0 } asked
                ? $"A request for another right ({Type(asked)}) was submitted for this address while this one waited for confirmation. It was not registered; the verification email was sent again, telling the requester to send it again once this one is confirmed (email {V("count")})."
                : $"The same request was submitted again; the verification email was sent again (email {V("count")}).",
            "status_link.resent_on_repeat" => $"The same request was submitted again; the link to its status was emailed to the requester ({Times(N("count"))}).",
            "verification.details_given" => $"The requester gave {N("given")} of the {Plural.Count(N("required"), "detail")} asked for to prove who they are ({Labels(V("dataPoints"))}), attempt {V("attempt")}. The values are not kept in the trail.",
            "verification.declaration_signed" => $"The requester signed the declaration \"{V("declaration")}\" as \"{V("signedAs")}\" on {EvidenceText.StoredInstant(V("signedAt"))}.",
            "verification.checked" => $"The details given were checked against our records: {N("matched")} of {N("given")} matched ({V("required")} needed). {Outcome(V("outcome"))}",
            "verification.search_again" => $"Too few details matched ({N("matched")} of {V("required")} needed) while {Failed(V("unsearched"))} could not be searched, so nothing was decided: what could not be searched is searched again at {EvidenceText.StoredInstant(V("searchAt"))} ({Ordinal(N("time"))} search again) before the shortfall counts against the requester.",
            "verification.details_requested_again" => $"Too few details matched; the requester was asked for them again (attempt {V("attempt")}).",
            "verification.by_staff" => $"Staff verified the requester's identity by hand, in place of {V("level")}: {V("reason")}",
            "identity.verified" => V("method") == Core.Workflow.IdentityVerified.ByStaff
                ? $"Identity verified by hand by staff{(V("reason") is { Length: > 0 } why ? ": " + why : ".")}"
                : "Identity verified: the requester followed the link emailed to their address.",
            "request.expired" => "Request closed: the requester did not confirm it in time.",
            "clock.paused" => $"Statutory clock paused while waiting for {V("reason")}.",
            "clock.resumed" => N("pausedDays") == 0
                ? "Statutory clock running again; no days were lost (it stood still within the same day)."
                : $"Statutory clock running again; paused for {Plural.Count(N("pausedDays"), "day")} in all.",
            "clock.due_date_changed" => $"Due date moved from {EvidenceText.StoredDate(V("from"))} to {EvidenceText.StoredDate(V("to"))} by the time the clock stood still.",
            "clock.extended" => $"Deadline extended from {EvidenceText.StoredDate(V("from"))} to {EvidenceText.StoredDate(V("to"))}.",
            "deadline.reminded" => $"Staff were reminded that the request is due in {Plural.Count(EvidenceText.Int(V("reminder").Split('d')[0]), "day")}"
                + (V("caughtUp") == "true" ? ": the reminder's time came while the clock was paused, so it was sent when the clock started again." : "."),
            "request.overdue" => $"The request passed its due date ({EvidenceText.StoredDate(V("dueOn"))}) without an answer; staff were alerted.",
            "discovery.started" => V("searchedAgain").Length > 0
                ? $"Searched again for the requester's data in {Failed(V("searchedAgain"))}, which could not be searched before; what the other systems found stands (round {V("round")})."
                : $"Search for the requester's data started in {Plural.Count(N("sources"), "system")} (round {V("round")}).",
            "source.discovered" => N("records") > 0
                ? $"{Source()}: found {Records("records")} ({Categories(V("source"), V("categories"))})."
                : $"{Source()}: found nothing.",
            "source.discovery_failed" => $"{Source()}: the search failed: {V("error")}",
            "source.answer_awaited" => $"{Source()}: waiting for the answer to the {Step(V("step"))}, due by {EvidenceText.StoredInstant(V("answerBy"))}.",
            "source.task_reminded" => $"{Source()}: its owner was reminded of the {Step(V("step"))}.",
            "approval.requested" => $"Sent to staff for approval (round {V("round")}): {Records("records")} found in {Plural.Count(N("sourcesWithData"), "system")}{(N("sourcesFailed") > 0 ? $"; {Plural.Count(N("sourcesFailed"), "search", "searches")} failed" : string.Empty)}.",
            "approval.reminded" => $"Approvers were reminded that the request waits for their decision (round {V("round")}).",
            "approval.escalated" => $"The approval was escalated to the fallback approver (round {V("round")}).",
            "information.reminded" => $"The requester was reminded of the question they have not answered (round {V("round")}).",
            "information.unanswered" => $"The privacy team was told the requester has not answered the question (round {V("round")}).",
            "approval.granted" => $"Approved (round {V("round")}){(V("by") == "system:auto-approve" ? " automatically" : string.Empty)}{Corrections(V("corrections"))}{(V("objection") is { Length: > 0 } scope ? $"; objection to {EvidenceText.Readable(scope).ToLowerInvariant()}" : string.Empty)}.",
            "information.requested" => $"The requester was asked for more information (round {V("round")}).",
            "information.provided" => "The requester answered the question (the answer is kept with the request, not in this pack).",
            "request.rejected" => $"Request refused: {Rejection(V("reason"))}.",
            "source.skipped_read_only" => $"{Source()}: we can only read this system, so nothing was changed there.",
            "source.executed" => Executed(d, Source(), V("source")),
            "source.execution_failed" => $"{Source()}: carrying out the request failed: {V("error")}",
            "execution.failed" => $"The request could not be finished: {Failed(V("failedSources"))}. Staff were alerted.",
            "execution.retried" => "Staff retried the steps that had failed.",
            "export.building" => $"Building the requester's copy of their data: {Records("records")} from {Plural.Count(N("sources"), "system")}.",
            "export.built" => $"The requester's copy was ready: {Plural.Count(N("files"), "file")}, {Records("records")}, {Email.MessageComposer.Size(EvidenceText.Int(V("bytes")))}, encrypted ({V("encryption")}); its download link expires {EvidenceText.StoredInstant(V("expiresAt"))}.",
            "export.copies_missing" => $"The copies made at {V("sources")} were gone when the requester's copy was to be built; they are made again.",
            "export.downloaded" => $"The requester downloaded their copy (download {V("download")}).",
            "export.deleted" => $"The requester's copy was deleted from storage after {Plural.Count(N("downloads"), "download")}.",
            "request.completed" => "Request completed; the requester was told what was done.",
            "restriction.placed" => $"Restriction in force: {Records("records")} marked as restricted (kept, not otherwise used).",
            "restriction.lift_scheduled" => $"Lifting the restriction was scheduled for {EvidenceText.StoredInstant(V("liftAt"))}; the requester was told in advance.",
            "restriction.lifting" => "The restriction is being lifted.",
            "restriction.lifted" => $"The restriction was lifted in {Plural.Count(N("sources"), "system")}.",
            "recipients.notified" => $"Recipients of the changed data were told of the change: {Plural.Count(N("byEmail"), "recipient")} by email, {Plural.Count(N("byHand"), "recipient")} left for the privacy team to tell by hand.",
            "suppression.recorded" => V("added") == "true"
                ? "The requester's email address was added to the suppression list (as a hash), so no more marketing is sent to it."
                : "The requester's email address was already on the suppression list.",
            "work.dead_lettered" => Core.Workflow.WorkDescriptions.Failure(Core.Workflow.WorkDescriptions.Describe(V("workItem"), V("kind")), V("error")),
            "workflow.restarted" => $"The request's workflow had stopped ({Durable.WorkflowCheckJob.WhatStopped(V("found"))}); it was started again and took on the request's open work.",
            "follow_up.erased" => $"{Source()}: the kept {categoryName(V("source"), V("category"))} were erased after their retention ended ({Records("erased")} deleted, {Records("masked")} anonymised{(N("retained") > 0 ? $", {Records("retained")} still kept until {EvidenceText.StoredDate(V("retainedUntil"))}" : string.Empty)}).",
            "follow_up.held" => $"{Source()}: erasing the kept {categoryName(V("source"), V("category"))} waits while a legal hold stands.",
            "follow_up.manual" => $"{Source()}: the kept {categoryName(V("source"), V("category"))} are due for erasure by the system's owner, by hand.",
            _ => Unknown(entry.Action, d),
        };
    }

    private string Executed(IReadOnlyDictionary<string, string?> d, string source, string sourceKey)
    {
        string V(string key) => d.TryGetValue(key, out var value) ? value ?? string.Empty : string.Empty;
        var parts = new List<string>();
        foreach (var (key, verb) in new[] { ("erased", "deleted"), ("masked", "anonymised"), ("exported", "copied for the requester"), ("corrected", "corrected") })
        {
            if (EvidenceText.Int(V(key)) is var n and > 0)
            {
                parts.Add($"{verb} {Plural.Count(n, "record")}");
            }
        }

        var text = $"{source}: {(parts.Count > 0 ? Plural.List(parts) : "no records needed changing")}";
        if (EvidenceText.Int(V("retained")) is var kept and > 0)
        {
            text += $"; kept {Plural.Count(kept, "record")} ({CategoryPrefixes(sourceKey, V("retainedBasis"))})";
        }

        if (V("goneBeforeThisAttempt") is { Length: > 0 } gone)
        {
            text += $"; {Plural.Count(EvidenceText.Int(gone), "record")} had already been erased by an earlier, interrupted attempt";
        }

        text += V("rediscovered") switch
        {
            "" => ".",
            "nothing left" => ". A fresh search afterwards found nothing left.",
            var left when left.StartsWith("only retained: ", StringComparison.Ordinal) =>
                $". A fresh search afterwards found only what was kept ({Categories(sourceKey, left["only retained: ".Length..])}).",
            var other => $". A fresh search afterwards: {other}.",
        };
        return text;
    }

    /// <summary>Names the categories at the start of each "category: basis" part of a stored basis.</summary>
    private string CategoryPrefixes(string sourceKey, string basis)
    {
        foreach (var key in categoryKeys(sourceKey).Concat([Core.Sources.RetainedRecords.LegalHoldCategory, Core.Sources.RetainedRecords.CountedByHandCategory]))
        {
            var prefix = key + ": ";
            if (basis.StartsWith(prefix, StringComparison.Ordinal))
            {
                basis = categoryName(sourceKey, key) + ": " + basis[prefix.Length..];
            }

            basis = basis.Replace("; " + prefix, "; " + categoryName(sourceKey, key) + ": ", StringComparison.Ordinal);
        }

        return basis;
    }

    private string Categories(string sourceKey, string keys) =>
        string.Join(", ", keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => categoryName(sourceKey, k)));

    private string Labels(string names) =>
        string.Join(", ", names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(dataPointLabel));

    private string Failed(string keys) =>
        Plural.List([.. keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => k == "export" ? "building the requester's copy" : sourceName(k))]);

    private static string Corrections(string fields) =>
        fields.Length == 0 ? string.Empty : "; to correct: " + Plural.List([.. fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => f == "phone" ? "phone number" : f)]);

    private static string Ordinal(int n) => n switch { 1 => "first", 2 => "second", 3 => "third", _ => $"{n}th" };

    private static string Times(int n) => n switch { 1 => "once", 2 => "twice", _ => $"{n} times" };

    private static string Channel(string name) => WireNames.TryParseChannel(name, out var channel) ? EvidenceText.Channel(channel) : EvidenceText.Readable(name).ToLowerInvariant();

    private static string Type(string name) => WireNames.TryParseType(name, out var type) ? EvidenceRights.Right(type, null) : EvidenceText.Readable(name);

    private static string Jurisdiction(string name) => WireNames.TryParseJurisdiction(name, out var j) ? Pages.RequestTexts.Describe(j) : name;

    private static string Step(string step) => step switch
    {
        "discover" => "search",
        "execute" => "task to carry out the request",
        _ => EvidenceText.Readable(step).ToLowerInvariant(),
    };

    private static string Outcome(string outcome) => outcome switch
    {
        "passed" => "Identity confirmed.",
        "categories" => "Enough for the categories of data held only (not a copy), as the law allows.",
        "asked-again" => "Not enough: the requester is asked again.",
        "failed" => "Not enough: the request is refused.",
        "by-staff" => "Verified by staff instead.",
        _ => string.Empty,
    };

    private static string Rejection(string reason) => reason switch
    {
        "insufficient_verification" => "we could not confirm the request came from the person it is about",
        "no_match" => "we found no personal data about the requester",
        "manifestly_unfounded" => "the request is manifestly unfounded",
        "excessive" => "the request is excessive",
        "outside_jurisdiction" => "the law relied on does not apply to the data we hold",
        "duplicate" => "it repeats a request already being handled",
        "withdrawn" => "the requester withdrew it",
        _ => EvidenceText.Readable(reason).ToLowerInvariant(),
    };

    private string Unknown(string action, IReadOnlyDictionary<string, string?> d)
    {
        var facts = d.Where(p => p.Key != "hashes" && !string.IsNullOrEmpty(p.Value))
            .Select(p => p.Key switch
            {
                "source" => $"system: {sourceName(p.Value!)}",
                "category" when d.TryGetValue("source", out var s) && s is not null => $"category: {categoryName(s, p.Value!)}",
                _ => $"{EvidenceText.Readable(p.Key).ToLowerInvariant()}: {p.Value}",
            })
            .ToList();
        return EvidenceText.Readable(action) + (facts.Count > 0 ? " (" + string.Join("; ", facts) + ")." : ".");
    }
}
