using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.Hosting;
using DataRights.Host.Workflow;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Requests;

/// <summary>
/// Validates a submission, answers a repeat (of a recent request, or for an address whose request waits for confirmation)
/// without its link, applies the per-email limit to new public requests, computes the statutory dates and stores the request.
/// A public submission is checked and kept (<see cref="ReceiveAsync"/>), answered, and taken in after
/// (<see cref="TakeInAsync"/>), so every valid one is answered alike and in the same time whatever becomes of it; staff
/// entering a request have it stored before the answer (<see cref="SubmitAsync(IntakeSubmission, IntakeChannel, DateOnly?, string, CancellationToken)"/>).
/// </summary>
public sealed class IntakeService(
    IRequestStore store,
    ISubmissionInbox inbox,
    ISubmissionQueue queue,
    AddressGate addresses,
    DeadlineRegimes regimes,
    DeadlineCalculator calculator,
    StatusLinks statusLinks,
    IntakeRateLimiter rateLimiter,
    WorkflowEngine engine,
    TimeProvider time,
    IOptions<DataRightsOptions> options,
    IOptions<Verification.VerificationOptions> verification,
    Verification.DataPointHasher hasher,
    ILogger<IntakeService> logger)
{
    /// <summary>
    /// A public submission (the form's, the API's): checked, then put on the submission queue (one write) and answered
    /// (<see cref="IntakeOutcome.Received"/>); what reads the queue keeps it and starts its taking in, which does the rest.
    /// Invalid input is answered at once and keeps nothing; a submission the queue did not take is not kept
    /// (<see cref="OrchestrationUnavailableException"/>: the sender may try again).
    /// </summary>
    public async Task<IntakeOutcome> ReceiveAsync(IntakeSubmission submission, IntakeChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (Check(submission) is { Invalid: { } invalid })
        {
            return invalid;
        }

        var received = new ReceivedSubmission(RequestIds.New(), channel, time.GetUtcNow(), submission);
        try
        {
            await queue.SendAsync(received, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.SubmissionNotHandedOver(received.Id, ex.GetType().Name);
            throw new OrchestrationUnavailableException("The submission queue did not take the submission; nothing was kept.", ex);
        }

        return IntakeOutcome.Received.Instance;
    }

    /// <summary>
    /// Takes in the kept submission <paramref name="submissionId"/> as it was received (its time starts the statutory
    /// clock), then removes it; returns what became of it, in words without personal data. One already taken in (gone)
    /// changes nothing.
    /// </summary>
    public async Task<string> TakeInAsync(string submissionId, CancellationToken cancellationToken)
    {
        if (await inbox.GetAsync(submissionId, cancellationToken) is not { } received)
        {
            return "already taken in";
        }

        // One at a time per address, in this process and across instances (the store's hold on the address): a second
        // submission for the address then finds the first's request waiting for confirmation (a repeat), where taken in
        // side by side both could be stored.
        IntakeOutcome outcome;
        await using (await addresses.EnterAsync(received.Submission.Email, cancellationToken))
        {
            outcome = await SubmitAsync(received.Submission, received.Channel, receivedOn: null, "requester:" + received.Channel.Name(), received.ReceivedAt, cancellationToken);
            await inbox.RemoveAsync(submissionId, cancellationToken);
        }

        var what = outcome switch
        {
            IntakeOutcome.Accepted => "a new request",
            IntakeOutcome.Repeat => "a repeat of a request held",
            IntakeOutcome.RateLimited => "past the address's limit on new requests",
            IntakeOutcome.Invalid => "no longer valid",
            _ => "taken in",
        };
        logger.SubmissionTakenIn(submissionId, what);
        return what;
    }

    /// <summary>
    /// Stores a request. Staff entering one that arrived by post, phone or email give the date it was
    /// received (<paramref name="receivedOn"/>): the statutory clock counts from that date.
    /// </summary>
    public Task<IntakeOutcome> SubmitAsync(IntakeSubmission submission, IntakeChannel channel, DateOnly? receivedOn, string actor, CancellationToken cancellationToken) =>
        SubmitAsync(submission, channel, receivedOn, actor, receivedAt: null, cancellationToken);

    /// <summary>The submission's problems (<c>Invalid</c>), or what it asks for.</summary>
    private (IntakeOutcome.Invalid? Invalid, ValidatedIntake? Intake, IReadOnlyList<Core.Verification.GivenDataPoint>? Given) Check(IntakeSubmission submission)
    {
        var validation = IntakeValidator.Validate(submission, WireNames.ParseJurisdiction(options.Value.DefaultJurisdiction));
        if (validation.Value is not { } intake)
        {
            logger.SubmissionInvalid(validation.Errors.Count, string.Join(",", validation.Errors.Keys));
            return (new IntakeOutcome.Invalid(validation.Errors), null, null);
        }

        var (given, problems) = GivenDataPoints(submission.DataPoints, intake);
        if (problems.Count > 0)
        {
            logger.SubmissionInvalid(problems.Count, string.Join(",", problems.Keys));
            return (new IntakeOutcome.Invalid(problems), null, null);
        }

        return (null, intake, given);
    }

    private async Task<IntakeOutcome> SubmitAsync(
        IntakeSubmission submission, IntakeChannel channel, DateOnly? receivedOn, string actor, DateTimeOffset? receivedAt, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var (invalid, checkedIntake, given) = Check(submission);
        if (invalid is not null)
        {
            return invalid;
        }

        var intake = checkedIntake!;

        // Only the person can confirm a request. While one for this address waits for that, another submission for the
        // address (whoever sends it) stores nothing and sends nothing new: the waiting request's link goes to the
        // address again, within the daily limit. So nobody can lock a person out, nor fill their inbox.
        var byStaff = channel is not (IntakeChannel.WebForm or IntakeChannel.Api);
        if (!byStaff && await store.FindAwaitingVerificationAsync(intake.Email, cancellationToken) is { } waiting)
        {
            return await RepeatAsync(waiting, intake.Type, actor, cancellationToken);
        }

        if (!byStaff && rateLimiter.TryAcquireForEmail(intake.Email) is { } retryAfter)
        {
            return new IntakeOutcome.RateLimited(retryAfter);
        }

        var now = receivedAt ?? time.GetUtcNow();
        var regime = regimes.For(intake.Jurisdiction);
        var deadline = receivedOn is { } day
            ? new Deadline(regime.Key, day, calculator.DueFrom(regime, day), calculator.AcknowledgeBy(regime, day))
            : calculator.Compute(regime, now);
        var id = RequestIds.New();
        var token = statusLinks.CreateToken(id);
        var request = new NewRequest(
            id,
            intake,
            channel,
            now,
            deadline,
            StatusLinks.Hash(token),
            RequestFingerprint.Compute(intake),
            actor) { DataPoints = given };

        // Once the submission is claimed, its orchestration is started before the request is written: it reads the
        // request's first work (the verification email, its reminders) from the request. When it cannot be started, the
        // claim is given back and nothing is written (OrchestrationUnavailableException: the caller may try again).
        var submitting = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = await store.SubmitAsync(request, now - o.DuplicateWindow, received => engine.Start(received, request.Actor), engine.AnnounceNewAsync, cancellationToken);
        var stored = outcome.Request;
        if (outcome.Created)
        {
            if (outcome.HandedOver)
            {
                await engine.NewRequestLandedAsync(stored, System.Diagnostics.Stopwatch.GetElapsedTime(submitting), cancellationToken);
            }

            logger.RequestAccepted(stored.Id, stored.Reference, stored.Type.Name(), stored.Channel.Name(), stored.Deadline.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            return new IntakeOutcome.Accepted(stored, token, Created: true);
        }

        if (byStaff)
        {
            logger.DuplicateSubmission(stored.Id, stored.Reference);
            return new IntakeOutcome.Accepted(stored, statusLinks.CreateToken(stored.Id), Created: false);
        }

        return await RepeatAsync(stored, intake.Type, actor, cancellationToken);
    }

    /// <summary>
    /// The details given with a submission, as the verification page would take them: only configured data points
    /// (problems keyed <c>dataPoints.{name}</c>), and only where the request's level asks for details at all (never
    /// more than verification needs). Null when none were given.
    /// </summary>
    private (IReadOnlyList<Core.Verification.GivenDataPoint>? Given, Dictionary<string, string[]> Problems) GivenDataPoints(IReadOnlyDictionary<string, string>? typed, ValidatedIntake intake)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (typed is not { Count: > 0 })
        {
            return (null, problems);
        }

        var offered = verification.Value.Definitions();
        if (engine.VerificationPolicy.For(intake.Jurisdiction, intake.Type).DataPoints == 0)
        {
            problems[IntakeFields.DataPoints] = ["This request needs no details to prove who you are: leave them out."];
            return (null, problems);
        }

        var given = new List<Core.Verification.GivenDataPoint>();
        foreach (var (name, value) in typed)
        {
            var point = offered.FirstOrDefault(p => p.Name == name);
            if (point is null)
            {
                // The unknown name is not echoed (nor logged): it is whatever the client sent.
                problems[IntakeFields.DataPoints] = [$"Give only these details: {string.Join(", ", offered.Select(p => p.Name))}."];
                continue;
            }

            var text = value.Trim();
            if (text.Length is 0 or > Verification.VerificationForm.MaxValueLength || Core.Text.TextRules.HasForbiddenCharacters(text, multiLine: false)
                || Core.Verification.GivenDataPoint.Comparable(text).Length == 0)
            {
                problems[Verification.VerificationForm.FieldOf(point)] = [$"Give your {point.Label.ToLowerInvariant()} in letters and digits (up to {Verification.VerificationForm.MaxValueLength} characters)."];
                continue;
            }

            given.Add(hasher.Give(point, text));
        }

        return (problems.Count > 0 ? null : given, problems);
    }

    /// <summary>
    /// A submission that repeats a request we hold: its link goes to the address on the request (a step of the workflow,
    /// so it is rate-limited and audited there), never to whoever submitted. A submission asking for another right
    /// (<paramref name="asked"/>) while the request waits for confirmation is not registered: the email says so.
    /// </summary>
    private async Task<IntakeOutcome> RepeatAsync(DataSubjectRequest existing, RequestType asked, string actor, CancellationToken cancellationToken)
    {
        logger.DuplicateSubmission(existing.Id, existing.Reference);
        var decision = await engine.ApplyAsync(existing.Id, new RepeatSubmitted(actor, asked), cancellationToken);
        if (decision is null || decision.Changed)
        {
            return new IntakeOutcome.Repeat(Emailed: decision is not null, Why: null, RetryAfter: null);
        }

        var wait = RequestDecider.LinkEmailWait(decision.Request.Progress, time.GetUtcNow(), engine.ContextFor(decision.Request).Settings);
        return new IntakeOutcome.Repeat(Emailed: false, decision.Refused ?? decision.Ignored, wait);
    }
}
