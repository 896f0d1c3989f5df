using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Host.Hosting;
using DataRights.Host.Workflow;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Requests;

/// <summary>Validates a submission, applies the per-email limit, computes the statutory dates and stores the request.</summary>
public sealed class IntakeService(
    IRequestStore store,
    DeadlineRegimes regimes,
    DeadlineCalculator calculator,
    StatusLinks statusLinks,
    IntakeRateLimiter rateLimiter,
    WorkflowEngine engine,
    WorkSignal signal,
    TimeProvider time,
    IOptions<DataRightsOptions> options,
    ILogger<IntakeService> logger)
{
    public Task<IntakeOutcome> SubmitAsync(IntakeSubmission submission, IntakeChannel channel, CancellationToken cancellationToken) =>
        SubmitAsync(submission, channel, receivedOn: null, actor: "requester:" + channel.Name(), cancellationToken);

    /// <summary>
    /// Stores a request. Staff entering one that arrived by post, phone or email give the date it was
    /// received (<paramref name="receivedOn"/>): the statutory clock counts from that date.
    /// </summary>
    public async Task<IntakeOutcome> SubmitAsync(IntakeSubmission submission, IntakeChannel channel, DateOnly? receivedOn, string actor, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var validation = IntakeValidator.Validate(submission, WireNames.ParseJurisdiction(o.DefaultJurisdiction));
        if (validation.Value is not { } intake)
        {
            logger.SubmissionInvalid(validation.Errors.Count, string.Join(",", validation.Errors.Keys));
            return new IntakeOutcome.Invalid(validation.Errors);
        }

        if (rateLimiter.TryAcquireForEmail(intake.Email) is { } retryAfter)
        {
            return new IntakeOutcome.RateLimited(retryAfter);
        }

        var now = time.GetUtcNow();
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
            actor);

        var outcome = await store.SubmitAsync(request, now - o.DuplicateWindow, received => engine.Start(received, request.Actor), cancellationToken);
        var stored = outcome.Request;
        if (outcome.Created)
        {
            signal.Notify();
            logger.RequestAccepted(stored.Id, stored.Reference, stored.Type.Name(), stored.Channel.Name(), stored.Deadline.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            return new IntakeOutcome.Accepted(stored, token, Created: true);
        }

        logger.DuplicateSubmission(stored.Id, stored.Reference);
        return new IntakeOutcome.Accepted(stored, statusLinks.CreateToken(stored.Id), Created: false);
    }
}
